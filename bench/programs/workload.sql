-- SPDX-License-Identifier: MIT
-- An SQLite workload for bench/run_programs.sh (sqlite3 :memory: < workload.sql): 200k rows made
-- by a recursive query, an index, grouping, a self-join and text functions. Prints results that
-- must be identical under every malloc.
CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, payload TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO t SELECT i, (i * 7919) % 1000, 'name-' || i, printf('%.*c', i % 97, 'x') FROM n;
CREATE INDEX t_grp ON t(grp, name);
SELECT grp, count(*), sum(length(payload)), min(name), max(name) FROM t GROUP BY grp
  ORDER BY sum(length(payload)) DESC, grp LIMIT 5;
SELECT count(*) FROM t a JOIN t b ON a.grp = b.grp AND b.id = a.id + 1000;
SELECT group_concat(substr(name, 6), '') IS NOT NULL, length(group_concat(name, ',')) FROM t
  WHERE grp < 50;
UPDATE t SET payload = upper(payload) || name WHERE id % 3 = 0;
DELETE FROM t WHERE id % 5 = 0;
SELECT count(*), sum(length(payload)) FROM t;
