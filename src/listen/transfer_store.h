/* transfer_store.h: the SQL of Listen imports and exports (import.c, polis_import.c,
 * csv_import.c, export.c; private to src/listen) */
#ifndef AHP_LISTEN_TRANSFER_STORE_H
#define AHP_LISTEN_TRANSFER_STORE_H

extern const char SQL_LT_EXERCISE_INSERT[];
extern const char SQL_LT_PROMPT_INSERT[];
extern const char SQL_LT_PARTICIPANT_INSERT[];
extern const char SQL_LT_CONTRIBUTION_INSERT[];
extern const char SQL_LT_VOTE_INSERT[];
extern const char SQL_LT_EXERCISE[];
extern const char SQL_LT_PROMPTS[];
extern const char SQL_LT_PARTICIPANTS[], SQL_LT_PARTICIPANTS_ALL[];
extern const char SQL_LT_CONTRIBUTIONS[];
extern const char SQL_LT_VOTES[];
extern const char SQL_LT_CONTRIBUTIONS_ALL[], SQL_LT_VOTES_ALL[];

#endif
