/* store.h: the Develop module's SQL, private to src/develop */
#ifndef AHP_DEVELOP_STORE_H
#define AHP_DEVELOP_STORE_H

extern const char SQL_DF_NEXT_VERSION[], SQL_DF_INSERT[], SQL_DF_GET[], SQL_DF_LATEST[];
extern const char SQL_DF_HISTORY[], SQL_DF_EXISTS[], SQL_DF_LATEST_ID[];
extern const char SQL_DS_INSERT[], SQL_DS_GET[], SQL_DS_LIST[], SQL_DS_DRAFT[];
extern const char SQL_DS_TOUCH[], SQL_DS_SUBMIT[], SQL_DS_DEMO_FIND[], SQL_DS_DEMO_INSERT[];
extern const char SQL_DR_LIST[], SQL_DR_UPSERT[];
extern const char SQL_DRIGHTS_SELF[], SQL_DRIGHTS_RATINGS[], SQL_DRIGHTS_FRAMEWORKS[];
extern const char SQL_DRIGHTS_DELETE_RATINGS[], SQL_DRIGHTS_DELETE_SELF[];
extern const char SQL_DRIGHTS_UNLINK_FRAMEWORKS[];

#endif
