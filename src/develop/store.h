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
/* the catalogue of development activities */
extern const char SQL_DA_LIST[], SQL_DA_COUNT[], SQL_DA_GET[], SQL_DA_ALL[], SQL_DA_TOTAL[];
extern const char SQL_DA_INSERT[], SQL_DA_UPDATE[], SQL_DA_SET_ACTIVE[];
extern const char SQL_DAA_LIST[], SQL_DAA_CLEAR[], SQL_DAA_INSERT[];
extern const char SQL_DRIGHTS_ACTIVITIES[], SQL_DRIGHTS_UNLINK_ACTIVITIES_CREATED[];
extern const char SQL_DRIGHTS_UNLINK_ACTIVITIES_UPDATED[];
/* 360° feedback (rights.c): the member's requests and how many were asked per group; never
 * the raters' answers one by one, nor who has answered (feedback.h, rules 7 and 8) */
extern const char SQL_DRIGHTS_FEEDBACK[], SQL_DRIGHTS_FEEDBACK_ASKED[];
extern const char SQL_DRIGHTS_DELETE_FEEDBACK[];

#endif
