/* csv_fuzz.c: libFuzzer target for the CSV reader, with a writer round trip as the oracle
 *
 * Every record of arbitrary input is read (with small limits, so the limit checks run too).
 * The records read are written out again with the CSV writer and read back: the second
 * reading must give the same records, field for field and byte for byte, or the target
 * traps. That checks the reader and the writer against each other, not only for crashes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "export/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void limits(struct csv_reader *r)
{
    r->max_field = 4096;
    r->max_record = 16384;
    r->max_fields = 256;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_reader r, back;
    struct csv_record rec, rec2;
    struct csv_writer w;
    struct buf out = BUF_INIT;
    size_t nrec = 0;
    char err[128];
    bool got, got2;
    csv_open(&r, (const char *)data, size);
    limits(&r);
    csv_writer_init(&w, &out);
    while (csv_next(&r, &rec, &got, err, sizeof err) == APP_OK && got) {
        if (rec.nfields == 0 || rec.line == 0)
            __builtin_trap();
        (void)csv_column(&rec, "id");
        (void)csv_column_loose(&rec, " Text ");
        for (size_t i = 0; i < rec.nfields; i++) {
            if (rec.fields[i].p[rec.fields[i].len] != '\0')
                __builtin_trap();
            csv_write_field(&w, rec.fields[i].p, rec.fields[i].len);
        }
        csv_end_row(&w);
        nrec++;
    }
    csv_close(&r);
    if (buf_oom(&out)) {
        buf_free(&out);
        return 0;
    }
    /* Read what was written, comparing with a third, fresh reading of the input. */
    csv_open(&r, (const char *)data, size);
    limits(&r);
    csv_open(&back, out.data, out.len);
    for (size_t k = 0; k < nrec; k++) {
        if (csv_next(&r, &rec, &got, NULL, 0) != APP_OK || !got)
            __builtin_trap();
        if (csv_next(&back, &rec2, &got2, err, sizeof err) != APP_OK || !got2)
            __builtin_trap();
        if (rec.nfields != rec2.nfields)
            __builtin_trap();
        for (size_t i = 0; i < rec.nfields; i++)
            if (rec.fields[i].len != rec2.fields[i].len ||
                memcmp(rec.fields[i].p, rec2.fields[i].p, rec.fields[i].len))
                __builtin_trap();
    }
    if (csv_next(&back, &rec2, &got2, NULL, 0) != APP_OK || got2)
        __builtin_trap();
    csv_close(&r);
    csv_close(&back);
    buf_free(&out);
    return 0;
}
