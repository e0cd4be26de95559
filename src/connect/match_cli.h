/* match_cli.h: `ahphub match`, the matcher for leads who work in spreadsheets */
#ifndef AHP_MATCH_CLI_H
#define AHP_MATCH_CLI_H

/* Runs `ahphub match …`; argv[0] is "match". Two modes:
 *   --mentees FILE --mentors FILE [--out FILE] [--alternatives FILE]
 *       profiles in (score.h), CSV out: mentee_id,mentee_name,mentor_id,mentor_name,score,why
 *       with one row per mentee (an unmatched one has no mentor and says why); the next best
 *       five per mentee to --alternatives; a summary on standard error.
 *   --scores FILE [--capacity FILE]
 *       rows mentee,mentor,score and mentor,capacity (default 1), each with an optional
 *       header row; prints mentee,mentor,score rows of an optimal assignment, then
 *       total,<total>.
 * Returns the exit status: 0 done, 2 bad usage or input (the message names file and line),
 * 1 any other failure. */
int connect_match_main(int argc, char **argv);

#endif
