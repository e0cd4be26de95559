/* plan_store.h: the SQL of development plans, the programme lead's gap view and the
 * demonstration self-assessments, private to src/develop (plan_store.c) */
#ifndef AHP_DEVELOP_PLAN_STORE_H
#define AHP_DEVELOP_PLAN_STORE_H

/* goals */
extern const char SQL_DG_LIST[], SQL_DG_GET[], SQL_DG_INSERT[], SQL_DG_UPDATE[];
extern const char SQL_DG_UNLINK[], SQL_DG_DELETE[];
/* plan activities */
extern const char SQL_DP_LIST[], SQL_DP_GET[], SQL_DP_INSERT[], SQL_DP_FIND[], SQL_DP_UPDATE[];
extern const char SQL_DP_DELETE[], SQL_DP_ACTIVE_ACTIVITY[];
/* data rights */
extern const char SQL_DPRIGHTS_GOALS[], SQL_DPRIGHTS_ITEMS[];
extern const char SQL_DPRIGHTS_DELETE_ITEMS[], SQL_DPRIGHTS_DELETE_GOALS[];
/* the gap view and the stored domain means */
extern const char SQL_DGAP_COHORT[], SQL_DGAP_ORG[], SQL_DGAP_UNSCORED[], SQL_DGAP_SET_MEANS[];
extern const char SQL_DGAP_CURRENT[];
/* demonstration data */
extern const char SQL_DDEMO_COHORT_DONE[], SQL_DDEMO_SELF[], SQL_DDEMO_RATINGS32[];
extern const char SQL_DDEMO_RATINGS8[];

#endif
