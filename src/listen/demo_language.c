/* demo_language.c: a demonstration exercise in German, closed and analysed
 *
 * So that `make run` shows what an exercise's language does: the exercise page says
 * "Language: German", the answers are marked lang="de" for screen readers, and the themes are
 * found with the German Snowball stemmer and stop words ("Wohnungen" and "Wohnung" meet;
 * "und", "die", "nicht" never name a theme). The answers are our own German sentences,
 * invented for this, in three threads (waiting for appointments, exercises at home, seeing the
 * same therapist). Everything is made by the program, so no rate limit applies. Idempotent by
 * title.
 */
#include "listen/demo.h"
#include "listen/analysis.h"
#include "listen/listen.h"
#include "listen/report.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#define LANGUAGE_TITLE "Physiotherapie in der Gemeinde: Was brauchen Sie?"
#define PEOPLE 12

static const char *const language_prompts[] = {
    "Was hat Ihnen an der Physiotherapie geholfen?",
    "Was sollten wir ändern?",
};

static const struct {
    int prompt;
    const char *text;
} de_answers[] = {
    {1, "Die Wartezeit auf den ersten Termin war mit zehn Wochen viel zu lang."},
    {1, "Ich habe drei Monate auf einen Termin gewartet, das ist zu lang."},
    {1, "Termine sind nur vormittags frei, das passt nicht zu meiner Arbeit."},
    {1, "Bitte mehr Termine am Abend, damit Berufstätige kommen können."},
    {1, "Die Wartezeiten sollten kürzer sein, gerade nach einer Operation."},
    {1, "Online Termine buchen zu können, würde vieles leichter machen."},
    {1, "Man erreicht die Praxis telefonisch kaum, um einen Termin zu bekommen."},
    {0, "Die Übungen für zu Hause mit Bildern haben mir sehr geholfen."},
    {0, "Das Video mit den Übungen konnte ich jeden Tag zu Hause anschauen."},
    {0, "Der Hausbesuch war wichtig, weil ich nach dem Sturz nicht aus dem Haus kam."},
    {0, "Die Therapeutin hat mir gezeigt, wie ich die Übungen zu Hause richtig mache."},
    {1, "Die Übungsblätter sollten größer gedruckt sein, ich konnte sie kaum lesen."},
    {1, "Mehr Hausbesuche für ältere Menschen, die nicht in die Praxis kommen können."},
    {0, "Mit den Übungen zu Hause bin ich schneller wieder fit geworden."},
    {0, "Ich hatte jedes Mal dieselbe Therapeutin, das hat Vertrauen geschaffen."},
    {0, "Dieselbe Therapeutin kannte meine Geschichte und ich musste nichts wiederholen."},
    {1, "Ich hatte bei jedem Termin einen anderen Therapeuten und musste alles neu erzählen."},
    {1, "Bitte dieselbe Therapeutin für die ganze Behandlung, nicht jedes Mal jemand anderen."},
    {0, "Mein Therapeut hat sich Zeit genommen und mir gut zugehört."},
    {1, "Die Therapeuten wechseln zu oft, dadurch geht viel Zeit verloren."},
};
#define NANSWERS (sizeof de_answers / sizeof de_answers[0])

int listen_demo_language(struct db *db, int64_t facilitator, int *created)
{
    struct arena *a = arena_new();
    struct listen_exercise_input in = {0};
    struct listen_exercise e;
    struct db_stmt *st = NULL;
    int64_t id, run = 0, people[PEOPLE], ids[NANSWERS];
    const char *slug;
    size_t nids = 0;
    bool ran = true;
    int rc;
    *created = 0;
    if (!a)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_LX_BY_TITLE, &st, "t", LANGUAGE_TITLE);
    db_finalize(st);
    if (rc != APP_E_NOTFOUND)
        goto done; /* made on an earlier run (APP_OK), or the lookup failed */
    in.title = LANGUAGE_TITLE;
    in.summary_md =
        "An exercise in another language: a partner community physiotherapy service asked "
        "its patients in German. The exercise's language is German, so the themes are found "
        "with German word stems and leave out German words such as \"und\" or \"nicht\", and "
        "the answers are marked as German for screen readers.\n\n*This is demonstration "
        "content: the contributions were written for it.*";
    in.language = "de";
    in.audiences = "citizen,ahp,staff";
    in.flag_threshold = 3;
    in.prompts = language_prompts;
    in.nprompts = 2;
    rc = listen_exercise_create(db, &in, facilitator, &id, &slug, a);
    if (!rc)
        rc = listen_exercise_set_status(db, id, LS_OPEN, facilitator);
    if (!rc)
        rc = listen_exercise_get_id(db, a, id, &e);
    for (int i = 0; i < PEOPLE && !rc; i++) {
        char token[LISTEN_TOKEN_HEX];
        rc = listen_participant_create(db, id, i % 3 ? "citizen" : "", "", "", token, &people[i]);
    }
    for (size_t i = 0; i < NANSWERS && !rc; i++) {
        enum listen_cstatus status;
        rc = listen_contribute(db, &e, people[i % PEOPLE], e.prompts[de_answers[i].prompt].id, 0,
                               de_answers[i].text, 0, &ids[nids], &status);
        if (!rc)
            nids++;
    }
    /* most agree with most; every fifth vote a pass or a disagreement */
    for (int p = 0; p < PEOPLE && !rc; p++)
        for (size_t k = 0; k < nids && !rc; k++) {
            size_t r = (k + (size_t)p * 3) % 5;
            rc = listen_vote(db, &e, people[p], ids[k], r == 0 ? (p % 2 ? 0 : -1) : 1, 0);
            if (rc == APP_E_FORBIDDEN)
                rc = APP_OK; /* their own */
        }
    /* analysed now, in this process: the demo must not wait for a server's worker */
    if (!rc)
        rc = listen_analysis_enqueue(db, id, facilitator, 3, &run);
    while (!rc && ran) {
        struct listen_report_state rs;
        rc = listen_analysis_run_next(db, &ran);
        if (!rc && !(rc = listen_report_state(db, id, &rs)) && rs.latest_run)
            break;
    }
    if (!rc)
        rc = listen_exercise_set_status(db, id, LS_CLOSED, facilitator);
    if (!rc)
        *created = 1;
done:
    arena_free(a);
    return rc;
}
