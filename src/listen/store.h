/* store.h: the Listen module's SQL, private to src/listen */
#ifndef AHP_LISTEN_STORE_H
#define AHP_LISTEN_STORE_H

extern const char SQL_LX_INSERT[], SQL_LX_UPDATE[], SQL_LX_BY_SLUG[], SQL_LX_BY_ID[];
extern const char SQL_LX_BY_TITLE[];
extern const char SQL_LX_LIST_PUBLIC[], SQL_LX_LIST_ALL[], SQL_LX_SET_STATUS[];
extern const char SQL_LX_PURGE_ORIGINALS[], SQL_LX_LIST_MANAGED[], SQL_LX_LOCK[];
extern const char SQL_LX_LIST_FACILITATED[], SQL_LX_LANGUAGE[];
extern const char SQL_LX_TAKING_SQLITE[], SQL_LX_TAKING_PG[];
extern const char SQL_LXF_IS[], SQL_LXF_LIST[], SQL_LXF_INSERT[], SQL_LXF_DELETE[];
extern const char SQL_LXF_COUNT[];
extern const char SQL_LP_LIST[], SQL_LP_INSERT[], SQL_LP_UPDATE[], SQL_LP_DELETE_FROM[];
extern const char SQL_LP_USED_FROM[];
extern const char SQL_LPT_FIND[], SQL_LPT_INSERT[], SQL_LPT_DESCRIBE[];
extern const char SQL_LPT_RATE[], SQL_LPT_EXISTS[];
extern const char SQL_LC_INSERT[], SQL_LC_GET[], SQL_LC_FEED[], SQL_LC_FEED_COUNT[];
extern const char SQL_LC_SHOWN_TEXT[];
extern const char SQL_LC_REPLIES[], SQL_LC_MINE[], SQL_LC_WITHDRAW[];
extern const char SQL_LC_QUEUE[], SQL_LC_QUEUE_COUNT[], SQL_LC_COUNTS[];
extern const char SQL_LC_MODERATE[], SQL_LC_OF_EXERCISE[], SQL_LC_SET_BODY[];
extern const char SQL_LC_LOCK[], SQL_LV_GET[], SQL_LV_UPSERT[], SQL_LC_VOTE_DELTA[];
extern const char SQL_LF_INSERT[], SQL_LC_FLAGGED[];
extern const char SQL_LM_LOG[];
extern const char SQL_LW_LIST[], SQL_LW_INSERT[], SQL_LW_DELETE[];

extern const char SQL_LA_QUEUED[], SQL_LA_INSERT[], SQL_LA_CLAIM[], SQL_LA_FINISH[];
extern const char SQL_LA_GIVE_UP[], SQL_LA_RENEW[];
extern const char SQL_LA_LATEST[], SQL_LA_PENDING[], SQL_LA_VOTES[], SQL_LA_STATEMENTS[];
extern const char SQL_LA_UNSHOWN[], SQL_LA_BODY_NOW[], SQL_LA_SHOWN_BODIES[], SQL_LA_DONE_RESULTS[],
    SQL_LA_SET_RESULT[];
extern const char SQL_LR_GET[], SQL_LR_PUBLISH[], SQL_LR_UNPUBLISH[], SQL_LA_BY_ID[];
extern const char SQL_LR_PEOPLE[], SQL_LR_CONTRIBUTIONS[], SQL_LR_VOTES[];
extern const char SQL_LA_DUE[];
extern const char SQL_LA_RUNS[], SQL_LA_PREVIOUS[];
extern const char SQL_LAG_DELETE[], SQL_LAG_INSERT[], SQL_LAG_READ[];
extern const char SQL_LA_CLAIM_ID[], SQL_LA_STATE[];
extern const char SQL_LE_LIST[], SQL_LE_INSERT[], SQL_LE_UPDATE[], SQL_LE_PIN_TEXT[];

extern const char SQL_LACT_INSERT[], SQL_LACT_UPDATE[], SQL_LACT_DELETE[], SQL_LACT_GET[],
    SQL_LACT_SET_THEME[];
extern const char SQL_LACT_LIST[];

/* data rights (listen/rights.c) */
extern const char SQL_LRIGHTS_CREATED[], SQL_LRIGHTS_FACILITATES[], SQL_LRIGHTS_MODERATED[];
extern const char SQL_LRIGHTS_ANALYSES[], SQL_LRIGHTS_ACTIONS[], SQL_LRIGHTS_REPORTS[];
extern const char SQL_LRIGHTS_THEME_EDITS[], SQL_LRIGHTS_UNLINK_CREATED[];
extern const char SQL_LRIGHTS_UNLINK_FACILITATES[], SQL_LRIGHTS_UNLINK_MODERATED[];
extern const char SQL_LRIGHTS_UNLINK_ANALYSES[], SQL_LRIGHTS_UNLINK_ACTIONS[];
extern const char SQL_LRIGHTS_UNLINK_REPORTS[], SQL_LRIGHTS_UNLINK_THEME_EDITS[];

/* voting one statement at a time, flag reasons, what was published */
extern const char SQL_LC_NEXT[], SQL_LC_PROGRESS[], SQL_LC_MY_VOTES[], SQL_LV_DELETE[];
extern const char SQL_LF_REASONS[], SQL_LR_PUBLISHED_IDS[], SQL_LR_THEMES[];
extern const char SQL_LR_SET_THEMES[], SQL_LR_HEADLINE[], SQL_LR_SET_HEADLINE[];
extern const char SQL_LR_EDITS[], SQL_LR_SET_EDITS[];

#endif
