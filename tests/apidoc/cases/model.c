#include "model.h"

int model_getc(handle_t *h) { return h ? 0 : -1; }

int model_use(struct point_s *p);
int model_use(struct point_s *p) { return model_getc((handle_t *)0) + p->inner.x + MODEL_READ; }
