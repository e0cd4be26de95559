/* store.h: the Assess module's SQL, private to src/assess */
#ifndef AHP_ASSESS_STORE_H
#define AHP_ASSESS_STORE_H

extern const char SQL_AI_NEXT_VERSION[], SQL_AI_INSERT[], SQL_AI_GET[], SQL_AI_LATEST[];
extern const char SQL_AI_HISTORY[], SQL_AI_EXISTS[];
extern const char SQL_AR_INSERT[], SQL_AR_UPDATE[], SQL_AR_CLOSE[], SQL_AR_BY_SLUG[];
extern const char SQL_AR_BY_ID[], SQL_AR_LIST[], SQL_AR_COUNTS[];
extern const char SQL_AR_ANSWERED_BY[], SQL_AR_CREATED_BY[];
extern const char SQL_AV_INSERT[], SQL_AV_GET[], SQL_AV_LIST[], SQL_AV_FIND[];
extern const char SQL_AS_INSERT[], SQL_AS_BY_TOKEN[], SQL_AS_BY_USER[], SQL_AS_SAVE[];
extern const char SQL_AS_SUBMIT[], SQL_AS_SUBMITTED[];
extern const char SQL_AS_BENCH[], SQL_AS_BENCH_ORGS[], SQL_AS_SUBMITTED_COUNT[];
extern const char SQL_AR_ADD_SUBMITTED[];

extern const char SQL_AS_LOAD[], SQL_AR_BY_TITLE[], SQL_AI_LATEST_ID[];

/* data rights (assess/rights.c) */
extern const char SQL_ARIGHTS_INSTRUMENTS[], SQL_ARIGHTS_ROUNDS[], SQL_ARIGHTS_RESPONSES[];
extern const char SQL_ARIGHTS_DROP_UNSUBMITTED[], SQL_ARIGHTS_UNLINK_RESPONSES[];
extern const char SQL_ARIGHTS_UNLINK_ROUNDS[], SQL_ARIGHTS_UNLINK_INSTRUMENTS[];

#endif
