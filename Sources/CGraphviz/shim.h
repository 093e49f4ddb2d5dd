#ifndef CAUSALMMM_CGRAPHVIZ_SHIM_H
#define CAUSALMMM_CGRAPHVIZ_SHIM_H

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

// cgraph exposes these as macros, which Swift cannot import; thin inline wrappers only.
static inline Agnode_t *cmmm_agtail(Agedge_t *e) { return agtail(e); }
static inline Agnode_t *cmmm_aghead(Agedge_t *e) { return aghead(e); }
static inline char *cmmm_agnameof(void *obj) { return agnameof(obj); }
static inline char *cmmm_agget(void *obj, char *name) { return agget(obj, name); }
static inline int cmmm_agisdirected(Agraph_t *g) { return agisdirected(g); }
static inline int cmmm_agisstrict(Agraph_t *g) { return agisstrict(g); }

// cgraph's flex scanner (prefix "aag") keeps unread input between reads: text after one
// graph's closing brace is scanned before the next input. Destroying the scanner state
// before each read makes every read start clean. Exported by libcgraph, not declared in its headers.
extern int aaglex_destroy(void);

#endif
