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

#endif
