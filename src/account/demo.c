/* demo.c: demonstration accounts and organisations (ahphub demo)
 *
 * Idempotent: organisations and users are created only when missing (an organisation made
 * without its ODS code, by the Assess demo, is given it). Passwords are random,
 * made when an account is first created, and written once to a logins file (mode 0600) so
 * `make run` can show them again; nothing else knows them.
 */
#include "account/demo.h"
#include "account/account.h"
#include "account/org.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "store/db.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The ODS codes are made up and say so: real ones never start with DEMO. */
static const struct {
    const char *name, *ods_code, *region;
} orgs[] = {
    {"Northfield Community Health NHS Trust", "DEMO01", "north-east-yorkshire"},
    {"Riverside University Hospitals NHS Foundation Trust", "DEMO02", "london"},
    {"Moorland Ambulance Service NHS Trust", "DEMO03", "south-west"},
    {"Eastbridge Integrated Care Board", "DEMO04", "east-of-england"},
    {"Midshire Partnership NHS Foundation Trust", "DEMO05", "midlands"},
    {"Coastway Hospitals NHS Trust", "DEMO06", "south-east"},
    {"Pennine Care and Therapies NHS Trust", "DEMO07", "north-west"},
};

static const struct {
    const char *email, *name, *role, *profession, *region;
    int org;
} people[] = {
    {"admin@demo.ahphub.test", "Alex Morgan", "admin", "", "", -1},
    {"facilitator@demo.ahphub.test", "Priya Shah", "facilitator", "occupational-therapist",
     "london", 1},
    {"sam.okafor@demo.ahphub.test", "Sam Okafor", "member", "speech-language-therapist",
     "north-east-yorkshire", 0},
    {"jo.walsh@demo.ahphub.test", "Jo Walsh", "member", "paramedic", "south-west", 2},
    {"ravi.patel@demo.ahphub.test", "Ravi Patel", "member", "radiographer", "midlands", 4},
    {"hannah.lee@demo.ahphub.test", "Hannah Lee", "member", "physiotherapist",
     "east-of-england", 3},
    {"tom.evans@demo.ahphub.test", "Tom Evans", "member", "dietitian", "south-east", 5},
    {"maya.brown@demo.ahphub.test", "Maya Brown", "member", "podiatrist", "north-west", 6},
    {"leo.green@demo.ahphub.test", "Leo Green", "member", "art-therapist", "london", 1},
    {"nia.jones@demo.ahphub.test", "Nia Jones", "member", "orthoptist", "midlands", 4},
    {"omar.ali@demo.ahphub.test", "Omar Ali", "member", "odp", "north-east-yorkshire", 0},
    {"ellie.wood@demo.ahphub.test", "Ellie Wood", "member", "prosthetist-orthotist",
     "south-west", 2},
    {"ben.carter@demo.ahphub.test", "Ben Carter", "member", "osteopath", "south-east", 5},
    {"zara.khan@demo.ahphub.test", "Zara Khan", "member", "music-therapist", "east-of-england",
     3},
    {"iona.fraser@demo.ahphub.test", "Iona Fraser", "member", "drama-therapist", "north-west", 6},
};

int demo_password(char out[DEMO_PASSWORD_LEN])
{
    /* Four groups of five from an alphabet without look-alikes: easy to type, ~100 bits. */
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    unsigned char raw[20];
    int rc = rand_bytes(raw, sizeof raw), j = 0;
    if (rc)
        return rc;
    for (int i = 0; i < 20; i++) {
        if (i && i % 5 == 0)
            out[j++] = '-';
        out[j++] = alphabet[raw[i] % (sizeof alphabet - 1)];
    }
    out[j] = '\0';
    return APP_OK;
}

int account_demo(struct db *db, const char *logins_path, int *created)
{
    int64_t org_ids[sizeof orgs / sizeof orgs[0]];
    FILE *logins = NULL;
    int rc = APP_OK;
    struct arena *a = arena_new();
    *created = 0;
    if (!a)
        return APP_E_NOMEM;
    for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
        rc = account_org_ensure(db, orgs[i].name, orgs[i].ods_code, orgs[i].region,
                                &org_ids[i]);
        if (rc)
            goto done;
    }
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        struct user u = {0}, existing;
        char pw[DEMO_PASSWORD_LEN];
        rc = account_user_by_email(db, a, people[i].email, &existing);
        if (rc == APP_OK)
            continue;
        if (rc != APP_E_NOTFOUND)
            goto done;
        u.email = people[i].email;
        u.display_name = people[i].name;
        u.role = role_parse(people[i].role);
        u.profession = people[i].profession;
        u.region = people[i].region;
        u.organisation_id = people[i].org >= 0 ? org_ids[people[i].org] : 0;
        if ((rc = demo_password(pw)) || (rc = account_user_create(db, &u, pw, strlen(pw), NULL)))
            goto done;
        if (!logins && logins_path) {
            int fd = open(logins_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
            logins = fd >= 0 ? fdopen(fd, "a") : NULL;
            if (!logins) {
                if (fd >= 0)
                    close(fd);
                log_error("msg=\"cannot write demo logins\" path=%s", logins_path);
                rc = APP_E_IO;
                goto done;
            }
        }
        if (logins)
            fprintf(logins, "%-12s %-32s %s\n", people[i].role, people[i].email, pw);
        (*created)++;
    }
done:
    if (logins && fclose(logins) != 0 && !rc)
        rc = APP_E_IO;
    arena_free(a);
    return rc;
}
