/* group_store.h: the SQL of Connect's interest groups, private to src/connect (group_store.c) */
#ifndef AHP_CONNECT_GROUP_STORE_H
#define AHP_CONNECT_GROUP_STORE_H

/* groups and members */
extern const char SQL_CG_LIST[], SQL_CG_GET[], SQL_CG_INSERT[];
extern const char SQL_CGM_JOIN[], SQL_CGM_LEAVE[], SQL_CGM_LIST[];
/* threads, posts, reports and moderation */
extern const char SQL_CT_INSERT[], SQL_CT_TOUCH[], SQL_CT_LIST[], SQL_CT_COUNT[], SQL_CT_GET[];
extern const char SQL_CT_STARTER[];
extern const char SQL_POST_INSERT[], SQL_POST_LIST[], SQL_POST_GET[], SQL_POST_LEFT[];
extern const char SQL_POST_EDIT[], SQL_POST_DELETE[];
extern const char SQL_CR_UPSERT[], SQL_CR_OPEN[], SQL_CR_WAITING[], SQL_CR_RESOLVE[];
extern const char SQL_CM_QUEUE[], SQL_CM_SET_STATE[], SQL_CM_LOG_INSERT[], SQL_CM_LOG[];
/* events */
extern const char SQL_CE_INSERT[], SQL_CE_GET[], SQL_CE_LIST[];
extern const char SQL_CE_UPDATE[], SQL_CE_CANCEL[], SQL_CE_TITLE[];
/* the weekly digest */
extern const char SQL_CD_SETTING_GET[], SQL_CD_SETTING_SET[], SQL_CD_DUE[], SQL_CD_CLAIM[];
extern const char SQL_CD_SET_MAIL[], SQL_CD_THREADS[], SQL_CD_EVENTS[];
/* data rights */
extern const char SQL_CRIGHTS_GROUPS[], SQL_CRIGHTS_POSTS[], SQL_CRIGHTS_REPORTS[];
extern const char SQL_CRIGHTS_DECISIONS[], SQL_CRIGHTS_CREATED[], SQL_CRIGHTS_EVENTS[];
extern const char SQL_CRIGHTS_SETTINGS[], SQL_CRIGHTS_DIGESTS[];
extern const char SQL_CRIGHTS_DELETE_THREADS[], SQL_CRIGHTS_BLANK_POSTS[];
extern const char SQL_CRIGHTS_UNLINK_REPORTS[], SQL_CRIGHTS_UNLINK_DECISIONS[];
extern const char SQL_CRIGHTS_UNLINK_GROUPS[], SQL_CRIGHTS_UNLINK_EVENTS[];
extern const char SQL_CRIGHTS_DELETE_MEMBERS[], SQL_CRIGHTS_DELETE_SETTINGS[];
extern const char SQL_CRIGHTS_DELETE_DIGESTS[];
/* demonstration data */
extern const char SQL_CG_DEMO_FIND[], SQL_POST_DEMO_INSERT[], SQL_CT_DEMO_INSERT[];
extern const char SQL_CGM_DEMO_JOIN[], SQL_CG_DEMO_USER[], SQL_POST_DEMO_LAST[];
extern const char SQL_CR_DEMO_INSERT[];

extern const char SQL_CGM_LOCK_MODS[], SQL_CGM_ROLE[], SQL_CGM_SET_ROLE[], SQL_CGM_MODERATORS[],
    SQL_CGM_OTHERS[];

#endif
