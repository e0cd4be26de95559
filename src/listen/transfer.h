/* transfer.h: Listen exercises in and out — Pol.is exports, generic survey CSVs, and JSON
 *
 * One file per direction and format: polis_import.c, csv_import.c (sharing import.c's plan),
 * export.c (themes.csv and group-id too).
 *
 * Imports create a NEW exercise (status closed, post-moderation) from files, all in one
 * transaction: the files are read and checked completely before the first row is written,
 * and any failure rolls everything back, so an import either lands whole or leaves nothing.
 * Problems are reported per file and line ("comments.csv line 7: comment-id is not a
 * number") in a struct import_report, for the person who uploaded the files.
 *
 * Free text is redacted (src/text/redact.h) on the way in like any contribution: `body` is
 * the redacted text, `original` keeps what was removed (moderators only). Exports write only
 * `body`, never `original`.
 *
 * The Pol.is export format (see ../shared/fixtures/polis/SOURCE.md) is read and written:
 * summary.csv, comments.csv, votes.csv and participants-votes.csv. Columns are found by
 * header name, never by position. Exports follow these rules:
 *  - Participants are numbered 0..N-1 in the order of their ids in this exercise (Pol.is
 *    uses integer participant ids; our pseudonyms are not integers). Every participant of the
 *    exercise is listed in participants-votes.csv, also those who never voted.
 *  - A comment's comment-id is its source_id (the Pol.is comment id it was imported with)
 *    when that is a non-negative integer not already taken by another comment, else our
 *    contribution id, else (when that too is taken) the next number above every id in use.
 *  - Exports are open data once the exercise is published (facilitators may download them
 *    before; they get the same files), so they hold only shown contributions, those the
 *    exercise page shows (approved and not hidden by flags), and the votes on those. A
 *    rejected contribution may name someone, a pending one or one hidden by flags has not
 *    been reviewed, and a withdrawn one was taken back by its author: none of them, nor the
 *    votes on them, is in any file, and moderated is therefore 1 (Pol.is's "accepted";
 *    -1 is rejected, 0 unmoderated) on every row. Reviewing them is done in the service,
 *    never from an export.
 *  - A participant's audience, profession and region (in the JSON export only: the Pol.is
 *    files have no such columns) are given only when the participant has something in the
 *    export (a shown contribution or a vote on one) and more such participants than the
 *    disclosure threshold (text/disclosure.h, default 7) share all three; otherwise all
 *    three are "", since a rare combination of common attributes can single someone out.
 *  - Replies are exported as comments (Pol.is has no threads; the JSON export keeps them).
 *  - Times are days: every time in every export (the JSON's too) is midnight UTC of its day,
 *    so no contribution or vote can be matched to the moment someone was seen writing.
 *    timestamp is milliseconds (our seconds × 1000), datetime the same instant in the style
 *    of Pol.is (Java's Date.toString), in UTC: "Fri Nov 16 00:00:00 UTC 2018".
 *  - votes.csv holds one row per final vote (the day of its last change), ordered by
 *    timestamp, then comment-id, then voter-id (so not by the time within a day);
 *    agrees/disagrees and the n-* columns are counted from those votes.
 *  - The facilitators' copy (the export page for those who manage the exercise, and
 *    `ahphub export`) also holds every contribution that is not shown but has votes, as a
 *    comment with an empty comment-body (its text, and its redactions, stay in the service)
 *    and moderated -1 (rejected, withdrawn or hidden by flags) or 0 (waiting for
 *    moderation), with the votes on it, and a blank author-id (and a null participant in
 *    exercise.json): the facilitators read a rejected text on the moderation page under its
 *    id, and that text (rejected, often, because it names someone) must not lead to its
 *    author's votes and other contributions. n-comments counts shown comments only, and the
 *    files list only participants who voted or wrote something shown. The opinion groups
 *    count those votes as Pol.is does
 *    (text/opinion.h): without them the groups of the group-id column could not be found
 *    again from the files, and an import of the copy (which takes an empty moderated -1 or 0
 *    comment as rejected or waiting) gives the same groups. The public copy has none of it.
 *  - participants-votes.csv's group-id (its second column, as in Pol.is's files) is, in the
 *    facilitators' copy (listen_export_participants_votes_grouped: the export page for those
 *    who manage the exercise, and `ahphub export`), the participant's opinion group in the
 *    exercise's latest finished analysis (listen_analysis_groups_read): 0-based like
 *    Pol.is's, so group-id 0 is the pages' "Group 1". It is blank, as in Pol.is, for
 *    everyone that analysis did not place (too few votes, or no analysis yet), and for every
 *    member of a group of no more people than the disclosure threshold (text/disclosure.h),
 *    whom the opinion map leaves out too. The public copy of a published exercise
 *    (listen_export_participants_votes) leaves group-id blank on every row: a group is a
 *    finding about people that the facilitators publish through the report, under the
 *    disclosure rule, not a column of open data.
 *  - summary.csv's groups is, in the facilitators' copy, the number of opinion groups of the
 *    latest analysis (blank when it found fewer than two, or in the public copy).
 *  - themes.csv (facilitators and the command line only, like group-id) gives the latest
 *    analysis's themes of the exported comments, one row per (comment, theme) pair, so it
 *    joins to comments.csv on comment-id and a comment in several themes has several rows:
 *        comment-id,theme-id,weight,theme
 *    ordered by comment-id, then weight (strongest first), then theme-id. theme-id is the
 *    theme's 0-based position in the analysis document's "themes" array (the one `ahphub
 *    analyse --exercise` prints), as computed, before any curation a facilitator made;
 *    weight is the fit's NMF weight of the comment for that theme (comparable within one
 *    analysis; blank for analyses made before weights were kept); theme is its label. Only
 *    themes a comment is a member of are listed; a comment in no theme, or shown only since
 *    the analysis, has no row; a comment no longer shown is left out. Without an analysis
 *    the file is the header alone.
 *  - Text people typed (comment-body, topic, conversation-description) is written with
 *    csv_write_text(): a cell a spreadsheet would run as a formula (starting with = + - @,
 *    a tab or a carriage return, unless it is a plain number) gets a leading single quote,
 *    since these files are published and opened in spreadsheets by whoever downloads them.
 *    The Pol.is import takes such a quote off again (csv_text_value()), so our files round-
 *    trip; a Pol.is file whose text really starts with a quote and one of those characters
 *    loses that quote.
 *  - summary.csv ends with a "language" row (the exercise's BCP 47 tag), which Pol.is does
 *    not write: the import reads it back, and readers of Pol.is files skip unknown keys.
 *  - comments.csv is ordered by comment-id; participants-votes.csv by participant, with
 *    one column per comment in comment-id order.
 * So export → import → export gives byte-identical comments.csv, votes.csv and
 * participants-votes.csv (the public copy; the facilitators' once both exercises have been
 * analysed, up to the numbering of the groups): an import keeps comment ids as source_id,
 * creates participants in numeric order and keeps times (whole days by then) exactly.
 *
 * Attribution: Pol.is open data is licensed CC BY 4.0 and anything derived from it must
 * carry the Computational Democracy Project's attribution. A Pol.is import therefore ends
 * the exercise's summary with a paragraph holding that attribution (LISTEN_POLIS_ATTRIBUTION;
 * not added again when the description already holds it), summary.csv exports carry it in
 * conversation-description, and the JSON export adds an "attribution" field (that paragraph)
 * when the summary holds it and at least one contribution has a source_id.
 *
 * Exports read with several queries, each on its own snapshot: while people are voting, the
 * files of one export may differ by the votes cast while they were being read.
 */
#ifndef AHP_LISTEN_TRANSFER_H
#define AHP_LISTEN_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct buf;
struct db;

#define LISTEN_POLIS_ATTRIBUTION                                                                   \
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is "                 \
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project."

#define IMPORT_MAX_ERRORS 20
#define IMPORT_ERROR_LEN  200

/* What an import did, or why it did nothing. Zero it before the call (or not: the import
 * clears it). */
struct import_report {
    int nerrors;                                      /* lines in errors[], in the order found */
    int more;                                         /* further errors found but not kept */
    char errors[IMPORT_MAX_ERRORS][IMPORT_ERROR_LEN]; /* "comments.csv line 7: …" */
    /* Rows created; all 0 when the import failed. */
    int64_t comments, participants, votes;
    /* Rows read but not stored (0 when the import failed): vote events superseded by a later
     * vote of the same voter on the same comment (Pol.is), or rows with a blank text cell
     * (CSV). */
    int64_t skipped;
    /* The new exercise's language (a BCP 47 tag) and where it came from: "summary.csv" (the
     * export said it), "comments" (guessed from the text by its stop words, text/language.h)
     * or "default" (undecided: English). The facilitator can change it on the edit page. */
    char language[16];
    const char *language_source;
};

/* The raw bytes of a Pol.is export's files (borrowed; p NULL or len 0 means absent). */
struct polis_files {
    struct str summary;  /* optional: topic, url, conversation-description, language */
    struct str comments; /* required */
    struct str votes;    /* votes.csv or participants-votes.csv is required */
    struct str participants_votes;
};

/* Imports a Pol.is export as a new exercise. title (NULL or "" for summary.csv's topic, or
 * else "Imported from Pol.is") names it; summary_md is conversation-description plus the
 * attribution. One prompt holds every comment: the topic, or "Comments imported from
 * Pol.is". Participants are every author, voter and participants-votes row (pseudonym = the
 * Pol.is id, no token, no audience); comments become contributions (source_id = comment-id;
 * moderated 1 approved, 0 pending, -1 rejected; created_at = timestamp / 1000). Votes come
 * from votes.csv, the last event per voter and comment by timestamp (file order breaks
 * ties; created_at is the first event's time, updated_at the last's); without votes.csv
 * from participants-votes.csv's comment columns (blank = no vote), timed at the comment's
 * creation. created_by is the importing user (0 for none). The language is summary.csv's
 * "language" row when it names one text/language.h knows (our exports write it; Pol.is's
 * have none), else guessed from the comments (language_guess: the language whose stop words
 * cover the largest share of the words, when that is clear), else English; rep says which.
 * On success *exercise_id is the new exercise and rep holds the counts. Returns APP_OK,
 * APP_E_INVALID (rep lists the problems; nothing written), APP_E_NOMEM, APP_E_DB (rolled
 * back), APP_E_INTERNAL when called inside a transaction. */
int listen_import_polis(struct db *db, const struct polis_files *f, const char *title,
                        int64_t created_by, int64_t *exercise_id, struct import_report *rep);

/* Which columns of a survey export to read (names as in its header row, matched ignoring
 * case and surrounding spaces). */
struct csv_import_opts {
    const char *text_column;       /* required: the free-text answers */
    const char *audience_column;   /* optional (NULL or ""): citizen, AHP, staff… */
    const char *profession_column; /* optional: profession code or name */
    const char *region_column;     /* optional: NHS England region code or name */
    const char *title;             /* the exercise's title; NULL or "": "Imported responses" */
};

/* Imports a survey export (CSV with a header row) as a new exercise with one prompt (the
 * text column's header). Each row whose text cell is not blank becomes an approved
 * contribution by a new participant "row-N" (N counts data rows from 1, blank ones too, so
 * it points at the row in the source). Audience is normalised to citizen, ahp or staff
 * ("member of the public", "Allied health professional", "other health and care staff"…)
 * or ""; profession and region are kept as codes when they match a code or name of
 * professions[] / regions[] (account.h) ignoring case, else "". A column that is named but
 * not found is an error that lists the columns there are. Returns as listen_import_polis(). */
int listen_import_csv(struct db *db, const char *data, size_t n, const struct csv_import_opts *o,
                      int64_t created_by, int64_t *exercise_id, struct import_report *rep);

/* The exports append to out (the caller owns it and frees it with buf_free()). Each returns
 * APP_OK, APP_E_NOTFOUND when there is no such exercise, APP_E_NOMEM (out may then hold a
 * partial file) or APP_E_DB. The formats are described above. */
int listen_export_summary(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_comments(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_votes(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_participants_votes(struct db *db, int64_t exercise_id, struct buf *out);
/* The facilitators' files (see "The facilitators' copy" above): the same four with the
 * contributions that are not shown but were voted on, untexted, and every vote;
 * participants-votes.csv with group-id filled; and themes.csv. */
int listen_export_summary_full(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_comments_full(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_votes_full(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_participants_votes_grouped(struct db *db, int64_t exercise_id, struct buf *out);
int listen_export_themes(struct db *db, int64_t exercise_id, struct buf *out);

/* The whole exercise as one JSON document (UTF-8, compact):
 *   {"format": "ahphub-listen/1",
 *    "exercise": {slug, title, summary_md, language, audiences, status, moderation,
 *                 opens_at, closes_at, created_at},
 *    "prompts": [{position, text}],
 *    "participants": [{id, pseudonym, audience, profession, region}],
 *    "contributions": [{id, prompt, parent, participant, body, redactions, status, hidden,
 *                       source_id, created_at, updated_at, votes, agrees, disagrees, passes}],
 *    "votes": [{contribution, participant, vote, created_at, updated_at}],
 *    "attribution": "…"}   (only for Pol.is data, see above)
 * Ids are those of the CSV exports (participant numbers, comment-ids); prompt is a prompt's
 * position (null when none), parent a comment-id (null for a top-level contribution or when
 * the parent is not shown); times are unix seconds at midnight UTC; vote counts are counted
 * from the votes. Contributions carry only the redacted body (redactions names the kinds
 * removed), never the original; as in the CSV files only shown contributions (status
 * "approved", hidden false) and the votes on them are there. */
int listen_export_json(struct db *db, int64_t exercise_id, struct buf *out);

#endif
