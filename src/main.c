/* main.c: the ahphub command line — serve, migrate, user, demo
 *
 * Every flag can also come from an AHPHUB_* environment variable (see app_config_defaults),
 * so a systemd unit or container needs no command line. Commands other than serve open the
 * database directly (one connection) and exit.
 */
#include "account/account.h"
#include "account/cohort.h"
#include "account/demo.h"
#include "account/invite.h"
#include "mail/mail.h"
#include "web/template.h"
#include "core/arena.h"
#include "listen/demo.h"
#include "assess/demo.h"
#include "develop/demo.h"
#include "develop/portfolio.h"
#include "develop/feedback.h" /* Develop: `remind`, 360° reminders before closing */
#include "account/links.h"
#include "connect/mentoring.h"
#include "connect/set.h"
#include "connect/match_cli.h"
#include "listen/listen.h"
#include "listen/transfer.h"
#include "listen/analysis.h"
#include "listen/worker.h"
#include "connect/group.h"
#include "mail/mail.h"
#include "mail/smtp.h"
#include "web/template.h"
#include "web/render.h"
#include "core/rand.h"
#include "export/csv.h"
#include "export/pdf.h"
#include "text/language.h"
#include "text/tokenise.h"
#include "core/buf.h"
#include "app.h"
#include "core/err.h"
#include "core/log.h"
#include "http/server.h"
#include "store/db.h"
#include "store/migrate.h"
#include "web/password.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: ahphub COMMAND [options]\n"
          "\n"
          "  serve    [--listen ADDR:PORT] [--db URL] [--threads N] [--dev DIR] [--behind-tls] [--demo]\n"
          "  migrate  [--db URL]                 apply database migrations\n"
          "  user add EMAIL --role admin|facilitator|member [--name NAME] [--db URL]\n"
          "           password from standard input, or generated and printed once\n"
          "  user invite EMAIL --role admin|facilitator|member [--name NAME] [--db URL]\n"
          "           mails a link to set a password, and prints it (AHPHUB_BASE_URL)\n"
          "  demo     [--db URL] [--logins FILE] create demonstration content (idempotent)\n"
          "  import   --polis DIR [--title T]   a Pol.is export (comments.csv, votes.csv, …)\n"
          "  import   --csv FILE --text-column NAME [--audience-column NAME]\n"
          "           [--profession-column NAME] [--region-column NAME] [--title T]\n"
          "  export   --exercise SLUG --out DIR  Pol.is files (group-id from the latest\n"
          "           analysis), themes.csv and exercise.json; makes DIR and its parents\n"
          "  analyse  --exercise SLUG [--k N]  the server's analysis (themes and opinion groups),\n"
          "           stored as the exercise's latest and printed as JSON; exit 3: no such\n"
          "           exercise, 4: the analysis failed (reason printed), 1: not stored\n"
          "  analyse  --csv FILE --text-column NAME [--k N]  themes of any survey column, as\n"
          "           JSON; \"rows\" gives each data row (1 = the first after the header) its\n"
          "           themes (indices into \"themes\", strongest first) and weights\n"
          "           [--language CODE]  its language: stemming and stop words (default en)\n"
          "  match    --mentees FILE --mentors FILE [--out FILE] [--alternatives FILE]\n"
          "           mentoring matches from profiles, CSV in and out (docs/connect.md)\n"
          "  match    --scores FILE [--capacity FILE]  an optimal assignment of given scores\n"
          "  digest   [--db URL]                 send the weekly group digests now (servers do it\n"
          "           hourly; each member gets a week once)\n"
          "  mail test ADDRESS                  send a test message through the SMTP server\n"
          "           configured by AHPHUB_SMTP_URL, AHPHUB_SMTP_USER, AHPHUB_SMTP_PASSWORD\n"
          "  mail test ADDRESS --queue [--db URL]  put it in the outbox for the servers to send\n"
          "  remind   [--db URL]                queue the reminders of 360° feedback requests\n"
          "           closing within 3 days (run daily from cron or a systemd timer)\n"
          "\n"
          "URL is sqlite:PATH or postgres://user@host:port/dbname (env AHPHUB_DB).\n",
          f);
}

/* Options of import and export, by their short letter. */
static const char *opts_v[128];

static bool opt_set(int ch, const char *v)
{
    if (ch < 0 || ch >= 128)
        return false;
    opts_v[ch] = v;
    return true;
}

static const char *opt(int ch)
{
    return opts_v[ch];
}

/* Parses the options shared by every command into cfg. Returns the index of the first
 * non-option argument, or -1 after printing a message. */
static int parse_common(int argc, char **argv, struct app_config *cfg, const char **name,
                        const char **role, const char **logins)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 't'}, {"dev", required_argument, NULL, 'v'},
        {"behind-tls", no_argument, NULL, 's'},    {"role", required_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'n'},    {"logins", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {"polis", required_argument, NULL, 'P'},
        {"csv", required_argument, NULL, 'C'},     {"title", required_argument, NULL, 'T'},
        {"text-column", required_argument, NULL, 'x'},
        {"audience-column", required_argument, NULL, 'a'},
        {"profession-column", required_argument, NULL, 'p'},
        {"region-column", required_argument, NULL, 'g'},
        {"exercise", required_argument, NULL, 'e'}, {"out", required_argument, NULL, 'O'},
        {"k", required_argument, NULL, 'K'},
        {"language", required_argument, NULL, 'L'}, /* analyse --csv: BCP 47 tag */
        {"queue", no_argument, NULL, 'Q'}, /* mail test */
        {"demo", no_argument, NULL, 'D'},  /* serve: a demonstration, no contact needed */
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'l':
            cfg->listen = optarg;
            break;
        case 'd':
            cfg->db_url = optarg;
            break;
        case 't':
            cfg->threads = atoi(optarg);
            if (cfg->threads < 1 || cfg->threads > 256) {
                fprintf(stderr, "ahphub: --threads must be between 1 and 256\n");
                return -1;
            }
            break;
        case 'v':
            cfg->dev_dir = optarg;
            break;
        case 's':
            cfg->behind_tls = true;
            break;
        case 'D':
            cfg->demo = true;
            break;
        case 'r':
            *role = optarg;
            break;
        case 'n':
            *name = optarg;
            break;
        case 'o':
            *logins = optarg;
            break;
        case 'P':
        case 'C':
        case 'T':
        case 'x':
        case 'a':
        case 'p':
        case 'g':
        case 'e':
        case 'O':
        case 'K':
        case 'L':
        case 'Q':
            if (!opt_set(ch, optarg ? optarg : "1"))
                return -1;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    return optind;
}

static int open_db(const struct app_config *cfg, struct db **db)
{
    int rc, applied;
    if (sodium_init() < 0)
        return APP_E_INTERNAL;
    rc = db_open(cfg->db_url, db);
    if (rc) {
        fprintf(stderr, "ahphub: cannot open database %s\n", cfg->db_url);
        return rc;
    }
    rc = migrate_up(*db, &applied);
    if (rc) {
        fprintf(stderr, "ahphub: migrations failed: %s\n", db_errmsg(*db));
        db_close(*db);
        *db = NULL;
    }
    return rc;
}

static int cmd_serve(struct app_config *cfg)
{
    struct app app;
    struct server *srv = NULL;
    struct listen_worker *worker = NULL;
    struct mail_sender *mailer = NULL;
    struct connect_digest_worker *digester = NULL;
    sigset_t set;
    int sig, rc;
    /* Block the stop signals in every thread (libmicrohttpd's inherit the mask) so only the
     * main thread, in sigwait, ever sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (app_config_check(cfg)) {
        fprintf(stderr, "ahphub: cannot start: %s\n", app_config_check(cfg));
        return 1;
    }
    rc = app_init(&app, cfg);
    if (rc) {
        fprintf(stderr, "ahphub: cannot start: %s (database %s)\n", app_err_name(rc),
                cfg->db_url);
        return 1;
    }
    rc = server_start(&app, &srv);
    if (rc) {
        app_free(&app);
        return 1;
    }
    /* A missing font does not stop the server (the PDFs are still right, only set in
     * another family), but the operator should hear of it before a reader does. */
    {
        char used[128];
        if (pdf_font_check(used, sizeof used))
            log_warn("msg=\"PDF reports are not in their font; run scripts/deps --run\" "
                     "want=\"%s\" used=\"%s\"",
                     PDF_FONT_FAMILY, used);
    }
    if (listen_worker_start(cfg->db_url, &worker))
        log_error("msg=\"analysis worker did not start; analyses will wait\"");
    /* ---- mail: the sender thread (src/mail/sender.c) ---- */
    if (mail_sender_start(&app, &mailer))
        log_error("msg=\"mail sender did not start; mail stays in the outbox\"");
    /* ---- Connect: the weekly group digest (src/connect/digest_worker.c) ---- */
    if (connect_digest_worker_start(cfg->db_url, app.tpl, app.base_url, app.secret, &digester))
        log_error("msg=\"group digest did not start; digests wait for the next start\"");
    log_info("msg=listening url=http://%s threads=%d db=%s", cfg->listen, cfg->threads,
             !strncmp(cfg->db_url, "sqlite:", 7) ? cfg->db_url : "postgres");
    sigwait(&set, &sig);
    log_info("msg=\"stopping\" signal=%d", sig);
    server_stop(srv);
    listen_worker_stop(worker);
    connect_digest_worker_stop(digester);
    mail_sender_stop(mailer);
    app_free(&app);
    return 0;
}

static int cmd_migrate(struct app_config *cfg)
{
    struct db *db;
    int cur, latest;
    if (open_db(cfg, &db))
        return 1;
    if (migrate_status(db, &cur, &latest) == APP_OK)
        printf("database at migration %d of %d\n", cur, latest);
    db_close(db);
    return 0;
}

/* Reads one line from standard input when it is not a terminal; "" otherwise. */
static int read_password(char *out, size_t n)
{
    size_t len;
    out[0] = '\0';
    if (isatty(STDIN_FILENO))
        return 0;
    if (!fgets(out, (int)n, stdin))
        return 0;
    len = strlen(out);
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return 0;
}

/* ---- user invite: the admin page's invitation, for an operator ---- */
static int cmd_user_invite(struct app_config *cfg, const char *email_arg, const char *name,
                           const char *role)
{
    struct invite v = {0};
    struct link_mailer m = {NULL, NULL, !app_sends_mail(cfg)};
    struct db *db = NULL;
    char email[300], base[300], token[TOKEN_HEX];
    int64_t id = 0;
    int rc;
    snprintf(email, sizeof email, "%s", email_arg);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    v.email = email;
    v.display_name = name ? name : email;
    v.role = role_parse(role);
    v.profession = v.region = "";
    if (v.role == ROLE_NONE) {
        fprintf(stderr, "ahphub: --role must be admin, facilitator or member\n");
        return 2;
    }
    if (!strchr(email, '@') || !mail_address_ok(email)) {
        fprintf(stderr, "ahphub: %s is not an email address\n", email);
        return 2;
    }
    /* The address people reach the site at, as the server works it out (app.c). */
    if (cfg->base_url && *cfg->base_url)
        snprintf(base, sizeof base, "%s", cfg->base_url);
    else
        snprintf(base, sizeof base, "http://%s", cfg->listen);
    m.base_url = base;
    if (tpl_set_new(cfg->dev_dir, &m.tpl)) {
        fprintf(stderr, "ahphub: out of memory\n");
        return 1;
    }
    if (open_db(cfg, &db)) {
        tpl_set_free(m.tpl);
        return 1;
    }
    rc = account_invite(db, &m, 0, &v, 1, (int64_t)time(NULL), &id, token);
    db_close(db);
    tpl_set_free(m.tpl);
    if (rc == APP_E_CONFLICT) {
        fprintf(stderr, "ahphub: a user with email %s already exists\n", email);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "ahphub: could not invite the user (%s)\n", app_err_name(rc));
        return 1;
    }
    printf("invited %s %s (id %lld); the invitation is in the outbox\n", role_name(v.role),
           email, (long long)id);
    printf("link: %s%s%s\n(it works once, for %d days)\n", base, link_path(LINK_INVITE), token,
           LINK_INVITE_TTL / (24 * 60 * 60));
    sodium_memzero(token, sizeof token);
    return 0;
}

static int cmd_user(struct app_config *cfg, int argc, char **argv, int first, const char *name,
                    const char *role)
{
    struct user u = {0};
    struct db *db;
    char pw[1100], gen[DEMO_PASSWORD_LEN];
    const char *policy;
    int generated = 0, rc;
    int64_t id;
    if (first + 1 < argc && !strcmp(argv[first], "invite"))
        return cmd_user_invite(cfg, argv[first + 1], name, role);
    if (first + 1 >= argc || strcmp(argv[first], "add") != 0) {
        usage(stderr);
        return 2;
    }
    u.email = argv[first + 1];
    u.role = role_parse(role);
    if (u.role == ROLE_NONE) {
        fprintf(stderr, "ahphub: --role must be admin, facilitator or member\n");
        return 2;
    }
    for (char *p = argv[first + 1]; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    if (!strchr(u.email, '@')) {
        fprintf(stderr, "ahphub: %s is not an email address\n", u.email);
        return 2;
    }
    u.display_name = name ? name : u.email;
    read_password(pw, sizeof pw);
    if (!pw[0]) {
        if (demo_password(gen))
            return 1;
        snprintf(pw, sizeof pw, "%s", gen);
        generated = 1;
    }
    if ((policy = password_policy(pw, strlen(pw), u.email))) {
        fprintf(stderr, "ahphub: %s\n", policy);
        return 2;
    }
    if (open_db(cfg, &db))
        return 1;
    rc = account_user_create(db, &u, pw, strlen(pw), &id);
    if (!rc)
        rc = account_audit(db, "user_created", 0, id, "command line");
    db_close(db);
    if (rc == APP_E_CONFLICT) {
        fprintf(stderr, "ahphub: a user with email %s already exists\n", u.email);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "ahphub: could not create the user (%s)\n", app_err_name(rc));
        return 1;
    }
    printf("created %s %s (id %lld)\n", role_name(u.role), u.email, (long long)id);
    if (generated)
        printf("password: %s\n(shown once; it is stored only as a hash)\n", pw);
    sodium_memzero(pw, sizeof pw);
    return 0;
}

static int cmd_demo(struct app_config *cfg, const char *logins)
{
    struct db *db;
    int created, rc;
    FILE *f;
    char line[256];
    const char *waiting[8]; /* demo logins with a match waiting for their answer (static) */
    size_t nwaiting = 0;
    if (open_db(cfg, &db))
        return 1;
    rc = account_demo(db, logins, &created);
    if (!rc) {
        struct arena *a = arena_new();
        struct user fac;
        int made = 0;
        rc = a ? account_user_by_email(db, a, "facilitator@demo.ahphub.test", &fac) : APP_E_NOMEM;
        if (!rc)
            rc = listen_demo(db, fac.id, &made);
        if (!rc && made)
            printf("demo: listening exercise created\n");
        /* 30,000 responses: national figures that look like the seed's, quickly made */
        if (!rc)
            rc = assess_demo(db, 30000);
        /* ---- the programme's cohort, which Develop's and Connect's demo content use ---- */
        if (!rc) {
            int64_t cohort;
            made = 0;
            rc = account_demo_cohort(db, DEMO_COHORT_NAME, DEMO_COHORT_SIZE, &cohort, &made);
            if (!rc && made)
                printf("demo: cohort of %d members created\n", DEMO_COHORT_SIZE);
        }
        /* ---- Develop: the first demo member's two self-assessments, months apart ---- */
        if (!rc) {
            struct user sam;
            rc = account_user_by_email(db, a, "sam.okafor@demo.ahphub.test", &sam);
            made = 0;
            if (!rc)
                rc = develop_demo(db, sam.id, (int64_t)time(NULL), &made);
            if (!rc && made)
                printf("demo: self-assessments created\n");
            /* a portfolio with entries on the non-medical CV, shared with the facilitator */
            if (!rc)
                rc = develop_portfolio_demo(db, sam.id, "facilitator@demo.ahphub.test",
                                            (int64_t)time(NULL), &made);
            if (!rc && made)
                printf("demo: portfolio and CV created\n");
            /* and a named assessment of theirs, so their home lists one with its results */
            if (!rc)
                rc = assess_demo_member(db, sam.id, sam.profession, sam.region, &made);
            if (!rc && made)
                printf("demo: a named assessment answered\n");
            /* ---- Develop: the cohort's self-assessments and the first member's plan ---- */
            if (!rc) {
                struct cohort *all;
                size_t nco;
                struct timespec t0, t1;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                made = 0;
                rc = account_cohort_list(db, a, &all, &nco);
                for (size_t i = 0; !rc && i < nco; i++)
                    if (!strcmp(all[i].name, DEMO_COHORT_NAME))
                        rc = develop_demo_cohort(db, all[i].id, (int64_t)time(NULL), &made);
                clock_gettime(CLOCK_MONOTONIC, &t1);
                if (!rc && made)
                    printf("demo: %d self-assessments for the cohort's gap view (%.2f s)\n", made,
                           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
            }
            if (!rc)
                rc = develop_demo_plan(db, sam.id, (int64_t)time(NULL), &made);
            if (!rc && made)
                printf("demo: a development plan\n");
        }
        /* ---- Connect: mentoring profiles and a finished matching round ---- */
        if (!rc) {
            bool cmade = false;
            rc = connect_mentoring_demo(db, fac.id, 400, (int64_t)time(NULL), &cmade);
            if (!rc && cmade)
                printf("demo: mentoring profiles and a matching round created\n");
        }
        /* ---- Connect: regional interest groups with discussions and events ---- */
        if (!rc) {
            made = 0;
            rc = connect_groups_demo(db, (int64_t)time(NULL), &made);
            if (!rc && made)
                printf("demo: interest groups created\n");
        }
        /* ---- Connect: a smaller programme split into published action learning sets,
         * the first demo member in one of them with the demo facilitator leading it ---- */
        if (!rc) {
            struct user sam;
            int64_t sets_cohort;
            made = 0;
            rc = account_demo_cohort(db, SETS_DEMO_COHORT, SETS_DEMO_SIZE, &sets_cohort, &made);
            if (!rc)
                rc = account_user_by_email(db, a, "sam.okafor@demo.ahphub.test", &sam);
            if (!rc)
                rc = connect_sets_demo(db, SETS_DEMO_COHORT, fac.id, sam.id, fac.id,
                                       (int64_t)time(NULL), &made);
            if (!rc && made)
                printf("demo: action learning sets published\n");
        }
        /* who has a mentoring match waiting for their answer now, said under the logins */
        if (!rc) {
            const char **w;
            size_t nw;
            rc = connect_mentoring_demo_waiting(db, a, &w, &nw);
            for (size_t i = 0; !rc && i < nw && nwaiting < sizeof waiting / sizeof waiting[0]; i++)
                waiting[nwaiting++] = w[i];
        }
        arena_free(a);
    }
    db_close(db);
    if (rc) {
        fprintf(stderr, "ahphub: demo content failed (%s)\n", app_err_name(rc));
        return 1;
    }
    printf("demo: %d new accounts\n", created);
    f = logins ? fopen(logins, "r") : NULL;
    if (f) {
        printf("\nDemo logins (from %s):\n", logins);
        while (fgets(line, sizeof line, f)) {
            /* a login with a match to accept or decline says so on its line */
            size_t len = strcspn(line, "\n");
            const char *note = "";
            for (size_t i = 0; i < nwaiting; i++) {
                const char *at = strstr(line, waiting[i]);
                size_t n = strlen(waiting[i]);
                if (at && (at == line || at[-1] == ' ') && at[n] == ' ')
                    note = "  (a mentoring match waits for their answer: Connect, Your matches)";
            }
            printf("  %.*s%s\n", (int)len, line, note);
        }
        fclose(f);
        printf("\n");
    }
    return 0;
}

/* Reads a whole file into malloc'd memory (NULL and *n 0 when it cannot be read). */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long len;
    *n = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)len + 1)) && fread(data, 1, (size_t)len, f) == (size_t)len) {
        data[len] = '\0';
        *n = (size_t)len;
    } else {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

static void print_report(const struct import_report *rep)
{
    for (int i = 0; i < rep->nerrors; i++)
        fprintf(stderr, "  %s\n", rep->errors[i]);
    if (rep->more)
        fprintf(stderr, "  … and %d more\n", rep->more);
}

static int cmd_import(struct app_config *cfg)
{
    struct import_report rep;
    struct arena *a = arena_new();
    struct listen_exercise e;
    struct db *db = NULL;
    char *files[4] = {NULL, NULL, NULL, NULL};
    size_t lens[4] = {0, 0, 0, 0};
    int64_t id = 0;
    int rc = 1, err;
    memset(&rep, 0, sizeof rep);
    if (!a || (!opt('P') && !opt('C')) || (opt('C') && !opt('x'))) {
        usage(stderr);
        goto done;
    }
    if (opt('P')) {
        static const char *const names[] = {"summary.csv", "comments.csv", "votes.csv",
                                            "participants-votes.csv"};
        for (int i = 0; i < 4; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", opt('P'), names[i]);
            files[i] = slurp(path, &lens[i]);
        }
        if (!files[1]) {
            fprintf(stderr, "ahphub: %s/comments.csv cannot be read\n", opt('P'));
            goto done;
        }
    } else if (!(files[0] = slurp(opt('C'), &lens[0]))) {
        fprintf(stderr, "ahphub: %s cannot be read\n", opt('C'));
        goto done;
    }
    if (open_db(cfg, &db))
        goto done;
    if (opt('P')) {
        struct polis_files f = {{files[0] ? files[0] : "", lens[0]}, {files[1], lens[1]},
                                {files[2] ? files[2] : "", lens[2]},
                                {files[3] ? files[3] : "", lens[3]}};
        err = listen_import_polis(db, &f, opt('T'), 0, &id, &rep);
    } else {
        struct csv_import_opts o = {opt('x'), opt('a'), opt('p'), opt('g'), opt('T')};
        err = listen_import_csv(db, files[0], lens[0], &o, 0, &id, &rep);
    }
    if (err) {
        fprintf(stderr, "ahphub: nothing was imported (%s)\n", app_err_name(err));
        print_report(&rep);
        goto done;
    }
    if (listen_exercise_get_id(db, a, id, &e) == APP_OK)
        printf("imported %lld comments, %lld participants, %lld votes into exercise %s\n",
               (long long)rep.comments, (long long)rep.participants, (long long)rep.votes,
               e.slug);
    rc = 0;
done:
    for (int i = 0; i < 4; i++)
        free(files[i]);
    db_close(db);
    arena_free(a);
    return rc;
}

/* Makes dir and its missing parents (mkdir -p), readable by the owner only: the command line
 * writes the facilitators' files (group-id, themes.csv). An existing directory is used as it
 * is. */
static int make_dirs(const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);
    struct stat sb;
    if (n == 0 || n >= sizeof path)
        return -1;
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return -1;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

static int cmd_export(struct app_config *cfg)
{
    /* the facilitators' copy (transfer.h): group-id filled, themes.csv */
    static const struct {
        const char *file;
        int (*fn)(struct db *, int64_t, struct buf *);
    } outs[] = {
        {"summary.csv", listen_export_summary_full},
        {"comments.csv", listen_export_comments_full},
        {"votes.csv", listen_export_votes_full},
        {"participants-votes.csv", listen_export_participants_votes_grouped},
        {"themes.csv", listen_export_themes},
        {"exercise.json", listen_export_json},
    };
    struct arena *a = arena_new();
    struct listen_exercise e;
    struct db *db = NULL;
    int rc = 1;
    if (!a || !opt('e') || !opt('O')) {
        usage(stderr);
        rc = 2;
        goto done;
    }
    if (open_db(cfg, &db))
        goto done;
    if (listen_exercise_get(db, a, opt('e'), &e)) {
        fprintf(stderr, "ahphub: there is no exercise \"%s\"\n", opt('e'));
        rc = 3;
        goto done;
    }
    if (make_dirs(opt('O'))) {
        fprintf(stderr, "ahphub: cannot make the directory %s: %s\n", opt('O'), strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        struct buf b = BUF_INIT;
        char path[4096];
        FILE *f = NULL;
        int err = outs[i].fn(db, e.id, &b), fd = -1;
        snprintf(path, sizeof path, "%s/%s", opt('O'), outs[i].file);
        /* the facilitators' files are the owner's alone, in a directory of any mode, and a file
         * that was there already is made so too */
        if (!err && !buf_oom(&b) &&
            (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) >= 0 &&
            fchmod(fd, 0600) == 0)
            f = fdopen(fd, "wb");
        if (!f) {
            fprintf(stderr, "ahphub: cannot write %s\n", path);
            if (fd >= 0)
                close(fd);
            buf_free(&b);
            goto done;
        }
        if (b.len && fwrite(b.data, 1, b.len, f) != b.len)
            err = APP_E_IO;
        if (fclose(f) != 0 || err) {
            fprintf(stderr, "ahphub: cannot write %s\n", path);
            buf_free(&b);
            goto done;
        }
        buf_free(&b);
        printf("wrote %s\n", path);
    }
    rc = 0;
done:
    db_close(db);
    arena_free(a);
    return rc;
}

/* ---- mail ---- */
/* `ahphub mail test ADDRESS`: the test message (templates/mail/test.*), sent now through the
 * configured SMTP server, without the outbox or the database, so it tells whether the
 * settings work. Prints the server's answer or what went wrong; 0 when the server took it.
 * With --queue the message goes into the outbox instead, as any message does, so the running
 * servers' senders (or, without SMTP, the outbox page) show that the whole way works. */
static int cmd_mail(struct app_config *cfg, int argc, char **argv, int first)
{
    struct tpl_set *tpl = NULL;
    struct buf text = BUF_INIT, html = BUF_INIT;
    struct mail_smtp smtp;
    struct mail_message m;
    enum mail_outcome oc;
    char from[320], base[300], detail[MAIL_DETAIL_MAX], when[64], key[33];
    unsigned char raw[16];
    const char *to;
    json_t *model = NULL;
    time_t now = time(NULL);
    struct tm tm;
    int rc = 1;
    if (first + 1 >= argc || strcmp(argv[first], "test") != 0) {
        usage(stderr);
        return 2;
    }
    to = argv[first + 1];
    if (!mail_address_ok(to)) {
        fprintf(stderr, "ahphub: %s is not an email address\n", to);
        return 2;
    }
    if (!opt('Q') && (!cfg->smtp_url || !*cfg->smtp_url)) {
        fprintf(stderr, "ahphub: mail is not configured: set AHPHUB_SMTP_URL "
                        "(smtps://host:465, or smtp://host:587 for STARTTLS), and "
                        "AHPHUB_SMTP_USER and AHPHUB_SMTP_PASSWORD if the server needs a login\n");
        return 1;
    }
    if (cfg->base_url && *cfg->base_url)
        snprintf(base, sizeof base, "%s", cfg->base_url);
    else
        snprintf(base, sizeof base, "http://%s", cfg->listen);
    mail_smtp_from_config(cfg, base, &smtp, from, sizeof from);
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%d %B %Y at %H:%M UTC", &tm);
    model = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "subject", "Test message from " SERVICE_NAME,
                      "to", to, "when", when, "button", "url", base, "text", "Open " SERVICE_NAME);
    if (sodium_init() < 0 || !model || tpl_set_new(cfg->dev_dir, &tpl) ||
        mail_render(tpl, "test", model, &text, &html) || rand_bytes(raw, sizeof raw)) {
        fprintf(stderr, "ahphub: the test message could not be made\n");
        goto done;
    }
    if (opt('Q')) {
        struct db *db;
        int64_t id;
        if (open_db(cfg, &db))
            goto done;
        if (mail_queue(db, tpl, to, "test", model, &id)) {
            fprintf(stderr, "ahphub: the test message could not be queued\n");
            db_close(db);
            goto done;
        }
        db_close(db);
        printf("queued as message %lld: the servers send it%s (see Mail outbox, /admin/mail)\n",
               (long long)id, cfg->smtp_url && *cfg->smtp_url ? "" : " once SMTP is set up");
        rc = 0;
        goto done;
    }
    if (mail_smtp_global_init()) {
        fprintf(stderr, "ahphub: libcurl could not start\n");
        goto done;
    }
    sodium_bin2hex(key, sizeof key, raw, sizeof raw);
    m = (struct mail_message){to, json_string_value(json_object_get(model, "subject")), text.data,
                              html.data, key, (int64_t)now};
    printf("sending a test message from %s to %s through %s\n", from, to, smtp.url);
    mail_smtp_send(&smtp, &m, NULL, &oc, detail);
    mail_smtp_global_cleanup();
    if (oc == MAIL_SENT) {
        printf("sent: the server said: %s\n", detail);
        rc = 0;
    } else {
        fprintf(stderr, "ahphub: the message was not sent%s: %s\n",
                oc == MAIL_PERMANENT ? " (refused)" : "", detail);
    }
done:
    json_decref(model);
    buf_free(&text);
    buf_free(&html);
    tpl_set_free(tpl);
    return rc;
}

/* ---- Develop: the automatic reminder of 360° feedback requests about to close, run daily
 * (docs/deployment.md). Idempotent: each request is reminded once. ---- */
static int cmd_remind(struct app_config *cfg)
{
    struct db *db;
    struct tpl_set *tpl = NULL;
    char base[300];
    int sent = 0, rc;
    if (cfg->base_url && *cfg->base_url)
        snprintf(base, sizeof base, "%s", cfg->base_url);
    else
        snprintf(base, sizeof base, "http://%s", cfg->listen);
    if (open_db(cfg, &db))
        return 1;
    rc = tpl_set_new(cfg->dev_dir, &tpl);
    if (!rc) {
        struct link_mailer m = {tpl, base, !app_sends_mail(cfg)};
        rc = feedback_remind_due(db, &m, (int64_t)time(NULL), &sent);
    }
    tpl_set_free(tpl);
    db_close(db);
    if (rc) {
        fprintf(stderr, "ahphub: reminders failed (%s)\n", app_err_name(rc));
        return 1;
    }
    printf("remind: %d reminder%s queued\n", sent, sent == 1 ? "" : "s");
    return 0;
}

/* `ahphub analyse`. With --exercise: the server's analysis of the exercise (themes and
 * opinion groups), run here as a facilitator's request and the worker would run it
 * (listen_analysis_run_now), stored as the exercise's latest analysis, and printed: the
 * stored document. With --csv: themes of one column of a CSV file, with a "rows" array to
 * join them back to the file; nothing is stored. Exit codes are in usage(). */
static int analyse_exercise(struct app_config *cfg, long k)
{
    struct arena *a = arena_new();
    struct listen_exercise e;
    enum listen_run_status status = LISTEN_RUN_FAILED;
    const char *text = NULL;
    struct db *db = NULL;
    json_t *doc = NULL;
    int64_t run = 0;
    int rc = 1, err;
    if (!a || open_db(cfg, &db))
        goto done;
    if ((err = listen_exercise_get(db, a, opt('e'), &e))) {
        if (err == APP_E_NOTFOUND) {
            fprintf(stderr, "ahphub: there is no exercise \"%s\"\n", opt('e'));
            rc = 3;
        } else {
            fprintf(stderr, "ahphub: cannot read exercise %s (%s)\n", opt('e'), app_err_name(err));
        }
        goto done;
    }
    err = listen_analysis_run_now(db, a, e.id, (int)k, &run, &status, &text);
    if (err == APP_E_CONFLICT) {
        fprintf(stderr,
                "ahphub: analysis run %lld of %s is held by a server and has not "
                "finished yet; it goes on there, see its analysis page\n",
                (long long)run, e.slug);
        goto done;
    }
    if (err) {
        fprintf(stderr,
                "ahphub: the analysis of %s could not be run or stored (%s); nothing "
                "was changed, try again\n",
                e.slug, app_err_name(err));
        goto done;
    }
    if (status == LISTEN_RUN_FAILED) {
        fprintf(stderr, "ahphub: analysis run %lld of %s failed: %s\n", (long long)run, e.slug,
                text ? text : "");
        rc = 4;
        goto done;
    }
    if (!(doc = json_loads(text, 0, NULL)) || json_dumpf(doc, stdout, JSON_INDENT(2)) != 0) {
        fprintf(stderr, "ahphub: analysis run %lld of %s does not read\n", (long long)run, e.slug);
        goto done;
    }
    printf("\n");
    fprintf(stderr, "analysis run %lld stored as the latest analysis of %s\n", (long long)run,
            e.slug);
    rc = 0;
done:
    json_decref(doc);
    db_close(db);
    arena_free(a);
    return rc;
}

static int cmd_analyse(struct app_config *cfg)
{
    struct csv_reader rd;
    struct csv_record rec;
    struct text_span *docs = NULL;
    char **copies = NULL, *data = NULL, err[256] = "", *end = NULL;
    size_t n = 0, cap = 0, len = 0, nrows = 0, *row_of = NULL;
    long k = opt('K') ? strtol(opt('K'), &end, 10) : 0;
    json_t *out = NULL;
    int rc = 1, col = -1;
    bool got, opened = false;
    if ((!opt('e') && !(opt('C') && opt('x'))) || (opt('e') && opt('C')) || k < 0 || k > 30 ||
        (end && (*end || end == opt('K')))) {
        usage(stderr);
        return 2;
    }
    if (opt('e'))
        return analyse_exercise(cfg, k);
    if (!(data = slurp(opt('C'), &len))) {
        fprintf(stderr, "ahphub: %s cannot be read\n", opt('C'));
        goto done;
    }
    csv_open(&rd, data, len);
    opened = true;
    while (csv_next(&rd, &rec, &got, err, sizeof err) == APP_OK && got) {
        struct str v;
        if (col < 0) {
            col = csv_column_loose(&rec, opt('x'));
            if (col < 0) {
                fprintf(stderr, "ahphub: there is no column \"%s\"\n", opt('x'));
                rc = 2;
                goto done;
            }
            continue;
        }
        nrows++; /* data rows from 1, blank ones too, as the CSV import numbers them */
        v = csv_get(&rec, col);
        if (!v.len)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct text_span *nd = realloc(docs, ncap * sizeof *nd);
            char **nc = nd ? realloc(copies, ncap * sizeof *nc) : NULL;
            size_t *nr = nc ? realloc(row_of, ncap * sizeof *nr) : NULL;
            if (nd)
                docs = nd;
            if (nc)
                copies = nc;
            if (!nr)
                goto oom;
            row_of = nr;
            cap = ncap;
        }
        if (!(copies[n] = strndup(v.p, v.len)))
            goto oom;
        docs[n].s = copies[n];
        docs[n].len = v.len;
        row_of[n] = nrows;
        n++;
    }
    if (err[0]) {
        fprintf(stderr, "ahphub: %s: %s\n", opt('C'), err);
        goto done;
    }
    if (opt('L') && !language_find(opt('L'))) {
        fprintf(stderr,
                "ahphub: --language %s is not a language tag ahphub knows (\"en\", \"de\", "
                "\"de-AT\", ...; see src/text/language.c)\n",
                opt('L'));
        rc = 2;
        goto done;
    }
    /* row_of is NULL when no row had text; any non-NULL pointer asks for "rows" then */
    if (listen_themes_rows_json(docs, n, row_of ? row_of : &nrows, nrows, (size_t)k, opt('L'),
                                &out)) {
        fprintf(stderr, "ahphub: the analysis failed\n");
        goto done;
    }
    if (json_dumpf(out, stdout, JSON_INDENT(2)) != 0)
        goto done;
    printf("\n");
    rc = 0;
    goto done;
oom:
    fprintf(stderr, "ahphub: out of memory\n");
done:
    json_decref(out);
    if (opened)
        csv_close(&rd);
    for (size_t i = 0; i < n; i++)
        free(copies[i]);
    free(copies);
    free(row_of);
    free(docs);
    free(data);
    return rc;
}

/* Connect: sends the weekly group digests now, as the servers' digest thread does hourly. */
static int cmd_digest(struct app_config *cfg)
{
    struct app app;
    struct connect_digest_run r;
    struct db *db;
    int rc;
    if (app_init(&app, cfg)) {
        fprintf(stderr, "ahphub: cannot open %s\n", cfg->db_url);
        return 1;
    }
    db = db_pool_get(app.pool);
    rc = connect_digest_send(db, app.tpl, app.base_url, app.secret, (int64_t)time(NULL), &r);
    db_pool_put(app.pool, db);
    app_free(&app);
    if (rc) {
        fprintf(stderr, "ahphub: digest failed (%s)\n", app_err_name(rc));
        return 1;
    }
    printf("digest: %d members done (%d mailed, %d had nothing new), %d already done\n",
           r.members, r.mailed, r.members - r.mailed, r.skipped);
    return 0;
}

int main(int argc, char **argv)
{
    struct app_config cfg;
    const char *cmd, *name = NULL, *role = NULL, *logins = NULL;
    int first;
    app_config_defaults(&cfg);
    {
        /* AHPHUB_LOG_LEVEL=warn drops the access log (errors still come through). */
        const char *lvl = getenv("AHPHUB_LOG_LEVEL");
        if (lvl && !strcmp(lvl, "warn"))
            log_set_level(LOG_WARN);
        else if (lvl && !strcmp(lvl, "error"))
            log_set_level(LOG_ERROR);
        else if (lvl && !strcmp(lvl, "debug"))
            log_set_level(LOG_DEBUG);
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    cmd = argv[1];
    /* Connect: match takes its own options and needs no database */
    if (!strcmp(cmd, "match"))
        return connect_match_main(argc - 1, argv + 1);
    first = parse_common(argc - 1, argv + 1, &cfg, &name, &role, &logins);
    if (first < 0)
        return 2;
    first += 1; /* index into argv */
    if (!strcmp(cmd, "serve"))
        return cmd_serve(&cfg);
    if (!strcmp(cmd, "migrate"))
        return cmd_migrate(&cfg);
    if (!strcmp(cmd, "user"))
        return cmd_user(&cfg, argc, argv, first, name, role);
    if (!strcmp(cmd, "demo")) {
        if (!logins && !strncmp(cfg.db_url, "sqlite:", 7))
            logins = "data/demo-logins.txt";
        return cmd_demo(&cfg, logins);
    }
    if (!strcmp(cmd, "import"))
        return cmd_import(&cfg);
    if (!strcmp(cmd, "export"))
        return cmd_export(&cfg);
    if (!strcmp(cmd, "analyse") || !strcmp(cmd, "analyze"))
        return cmd_analyse(&cfg);
    if (!strcmp(cmd, "mail"))
        return cmd_mail(&cfg, argc, argv, first);
    if (!strcmp(cmd, "remind"))
        return cmd_remind(&cfg);
    if (!strcmp(cmd, "digest"))
        return cmd_digest(&cfg);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "ahphub: unknown command %s\n", cmd);
    usage(stderr);
    return 2;
}
