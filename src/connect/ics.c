/* ics.c: one event as an iCalendar file (RFC 5545) for people to add to their calendars
 *
 * The rules that calendar programs are strict about: every line ends CRLF (§3.1); a content
 * line longer than 75 octets is folded by CRLF and one space, and a fold never splits a UTF-8
 * character (§3.1 says SHOULD NOT; Outlook garbles it); TEXT values escape backslash,
 * semicolon, comma and newline (§3.3.11); DTSTAMP is required, and times written in UTC end
 * with Z (§3.3.5), which spares the file a VTIMEZONE block. UID is stable for the event, so
 * downloading it twice updates the same calendar entry rather than adding another; SEQUENCE
 * rises with each change a moderator makes, and a cancelled event says STATUS:CANCELLED, so
 * the entry a calendar holds is replaced by the newer one (§3.8.7.4, §3.8.1.11).
 */
#include "connect/group.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Writes one content line name + value (already escaped where needed), folded. */
static void line(struct buf *out, const char *name, const char *value)
{
    struct buf l = BUF_INIT;
    size_t used = 0;
    buf_puts(&l, name);
    buf_puts(&l, value);
    for (size_t i = 0; i < l.len;) {
        size_t clen = 1;
        unsigned char c = (unsigned char)l.data[i];
        if (c >= 0xF0)
            clen = 4;
        else if (c >= 0xE0)
            clen = 3;
        else if (c >= 0xC0)
            clen = 2;
        if (i + clen > l.len)
            clen = l.len - i;
        /* a line holds 75 octets; a continuation line's leading space counts */
        if (used + clen > 75) {
            buf_puts(out, "\r\n ");
            used = 1;
        }
        buf_append(out, l.data + i, clen);
        used += clen;
        i += clen;
    }
    buf_puts(out, "\r\n");
    buf_free(&l);
}

/* A TEXT value escaped (§3.3.11); CR LF and lone CR become \n. */
static void text_line(struct buf *out, const char *name, const char *value)
{
    struct buf v = BUF_INIT;
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == ',') {
            buf_putc(&v, '\\');
            buf_putc(&v, *p);
        } else if (*p == '\r') {
            buf_puts(&v, "\\n");
            if (p[1] == '\n')
                p++;
        } else if (*p == '\n') {
            buf_puts(&v, "\\n");
        } else if ((unsigned char)*p < 0x20 && *p != '\t') {
            continue; /* controls are not allowed in TEXT */
        } else {
            buf_putc(&v, *p);
        }
    }
    buf_putc(&v, '\0');
    line(out, name, buf_oom(&v) ? "" : v.data);
    buf_free(&v);
}

static void utc_line(struct buf *out, const char *name, int64_t t)
{
    char s[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%Y%m%dT%H%M%SZ", &tm);
    line(out, name, s);
}

void connect_ics_event(struct buf *out, const struct connect_event *ev, const char *group_name,
                       const char *uid_host, const char *url, int64_t now)
{
    char uid[160];
    struct buf desc = BUF_INIT;
    buf_puts(&desc, ev->description);
    if (group_name && *group_name) {
        buf_puts(&desc, "\n\nFrom ");
        buf_puts(&desc, group_name);
    }
    if (*ev->link) {
        buf_puts(&desc, "\nJoin online: ");
        buf_puts(&desc, ev->link);
    }
    buf_putc(&desc, '\0');
    snprintf(uid, sizeof uid, "connect-event-%lld@%s", (long long)ev->id,
             uid_host && *uid_host ? uid_host : "ahphub");
    line(out, "BEGIN:", "VCALENDAR");
    line(out, "VERSION:", "2.0");
    line(out, "PRODID:", "-//AHP Hub//Connect events//EN");
    line(out, "CALSCALE:", "GREGORIAN");
    line(out, "METHOD:", "PUBLISH");
    line(out, "BEGIN:", "VEVENT");
    line(out, "UID:", uid);
    utc_line(out, "DTSTAMP:", now);
    /* each change raises it, so a calendar replaces the entry it has (§3.8.7.4) */
    {
        char seq[24];
        snprintf(seq, sizeof seq, "%lld", (long long)ev->sequence);
        line(out, "SEQUENCE:", seq);
    }
    if (ev->cancelled_at)
        line(out, "STATUS:", "CANCELLED");
    utc_line(out, "DTSTART:", ev->starts_at);
    utc_line(out, "DTEND:", ev->ends_at);
    text_line(out, "SUMMARY:", ev->title);
    text_line(out, "LOCATION:", *ev->place ? ev->place : ev->link);
    text_line(out, "DESCRIPTION:", buf_oom(&desc) ? ev->description : desc.data);
    /* URL is a URI value (§3.8.4.6), not TEXT: written as it is */
    if (*ev->link)
        line(out, "URL:", ev->link);
    else if (url && *url)
        line(out, "URL:", url);
    line(out, "END:", "VEVENT");
    line(out, "END:", "VCALENDAR");
    buf_free(&desc);
}
