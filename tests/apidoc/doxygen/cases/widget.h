/*
 * A Doxygen-commented header, as another library writes it: every dialect form apidoc reads.
 */
#ifndef WIDGET_H
#define WIDGET_H

#include <stddef.h>

/**
 * @file widget.h
 * @brief Widgets: small counted buffers
 * @defgroup widget Widget routines
 * @ingroup Debug
 * @{
 */

/** Declare a public function (documented across a conditional, as Doxygen reads it). */
#if defined(_MSC_VER)
# define WIDGET_API __declspec(dllexport)
#else
# define WIDGET_API
#endif

typedef long widget_time_t; /**< time in seconds since the epoch */

/**
 * A widget.
 *
 * Create one with widget_new().
 */
typedef struct widget {
	size_t len; /**< bytes in use */
	/** Capacity in bytes; never less than `len`. */
	size_t cap;
	//! The bytes.
	char *data;
	/// Plain `///` lines before a member document it too.
	int flags;
} widget;

/** Widget kinds */
typedef enum {
	WIDGET_SMALL = 0, /*!< up to 64 bytes */
	/** Anything larger */
	WIDGET_LARGE = 1
} widget_kind;

/** @name Construction
 * Ways to make widgets.
 * @{
 */

/**
 * Create a widget.
 *
 * @param[out] out   where the new widget is stored
 * @param[in]  cap   initial capacity; may be 0
 * @return 0 on success
 * @retval -1 when out of memory
 * @note The widget must be freed with widget_free().
 * @see widget_free
 *
 * @code{.c}
 * widget *w;
 * if (widget_new(&w, 16) == 0)
 *     widget_free(w);
 * @endcode
 */
WIDGET_API int widget_new(widget **out, size_t cap);

/** @} */

/*!
 * \brief Free a widget.
 * \param w the widget, or NULL
 * \deprecated Use widget_release(); this one stays until 2.0.
 * \since 1.0
 */
WIDGET_API void widget_free(widget *w);

/// Release a widget.
/// @param w the widget
/// @warning Never twice.
WIDGET_API void widget_release(widget *w);

///
/// Bytes in use: the project's own `///` grammar still applies in the same file.
///
/// w[in] : The widget.
///
/// SUCCESS: Returns `w->len`.
/// FAILURE: Never fails.
///
/// TAGS: Query
///
size_t widget_len(const widget *w);

/**
 * Broken commands are diagnostics, unknown ones stay text: @frobnicate this.
 * @param[sideways] w the widget
 * @param
 * @retval
 */
void widget_touch(widget *w);

/** @} */

#endif
