/* cv_docx.c: the non-medical CV as a Word document (.docx), zipped with libzip
 *
 * The smallest package Word, LibreOffice and pandoc open without complaint: [Content_Types].xml,
 * _rels/.rels, word/document.xml, word/styles.xml and word/numbering.xml with their
 * relationships, and docProps/core.xml for the title and author. The styles are Word's own
 * built-in ones by name ("Title", "heading 1" to "heading 4", "List Paragraph"), with their
 * outline levels, so the navigation pane, a screen reader and pandoc see real headings, not
 * big bold text. An entry's text keeps its Markdown's blocks: its headings are Heading 3 and
 * 4, under the entry's Heading 2, and its lists are Word lists, not typed bullets: the
 * numbering part defines a bulleted, a "1." and a "1)" list, nine levels each, and every list
 * in the text (nested ones too) is a numbering instance of its own whose level starts at the
 * list's own first number, so each numbered list restarts where its writer started it. The
 * clinical career is a table whose first row repeats as a header row. Text is escaped for
 * XML, and characters XML 1.0 cannot hold (controls other than tab and line breaks) are
 * dropped; a line break in a paragraph starts a new one, in a list item a new line of it.
 * The zip is built in memory, stored with deflate.
 */
#include "develop/cv.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

/* The n bytes at s (or the whole string when n is SIZE_MAX) as XML character data. */
static void xml_textn(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; s && i < n && s[i]; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        default:
            if (ch >= 0x20 || ch == '\t')
                buf_putc(b, (char)ch);
        }
    }
}

static void xml_text(struct buf *b, const char *s)
{
    xml_textn(b, s, SIZE_MAX);
}

/* One paragraph per line of text in style (NULL: Normal). */
static void para(struct buf *b, const char *style, const char *text)
{
    const char *p = text ? text : "";
    do {
        size_t n = strcspn(p, "\n");
        buf_puts(b, "<w:p>");
        if (style)
            buf_printf(b, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
        buf_puts(b, "<w:r><w:t xml:space=\"preserve\">");
        xml_textn(b, p, n);
        buf_puts(b, "</w:t></w:r></w:p>");
        p += n;
        if (*p)
            p++;
    } while (*p);
}

/* The numbering instances written so far: <w:num> elements, numbered from 1. */
struct numbering {
    struct buf nums;
    int n;
};

enum { ABSTRACT_BULLET = 1, ABSTRACT_DOT, ABSTRACT_PAREN };

/* A new numbering instance of abstract, its level ilvl starting at start (ordered lists);
 * returns its numId. */
static int num_new(struct numbering *nb, int abstract, int ilvl, int start)
{
    int id = ++nb->n;
    buf_printf(&nb->nums, "<w:num w:numId=\"%d\"><w:abstractNumId w:val=\"%d\"/>", id, abstract);
    if (abstract != ABSTRACT_BULLET)
        buf_printf(&nb->nums,
                   "<w:lvlOverride w:ilvl=\"%d\"><w:startOverride w:val=\"%d\"/></w:lvlOverride>",
                   ilvl, start);
    buf_puts(&nb->nums, "</w:num>");
    return id;
}

/* A list item: a List Paragraph at level ilvl of numbering instance num, each further line of
 * its text a line break inside it. */
static void list_item(struct buf *b, int num, int ilvl, const char *text)
{
    const char *p = text ? text : "";
    buf_printf(b,
               "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"%d\"/>"
               "<w:numId w:val=\"%d\"/></w:numPr></w:pPr><w:r>",
               ilvl, num);
    for (;;) {
        size_t n = strcspn(p, "\n");
        buf_puts(b, "<w:t xml:space=\"preserve\">");
        xml_textn(b, p, n);
        buf_puts(b, "</w:t>");
        p += n;
        if (!*p)
            break;
        p++;
        buf_puts(b, "<w:br/>");
    }
    buf_puts(b, "</w:r></w:p>");
}

/* An entry's text: paragraphs, its own headings under the entry's Heading 2 (# as Heading
 * 3, ## and deeper as Heading 4), its lists as Word lists. */
static void body(struct buf *b, struct numbering *nb, const struct develop_cv_item *it)
{
    int base = nb->n, seen = 0; /* list k of the text is numbering instance base + k */

    for (size_t i = 0; i < it->nblocks; i++) {
        const struct develop_block *x = &it->blocks[i];
        switch (x->kind) {
        case DEVELOP_BLOCK_PARA:
            para(b, NULL, x->text);
            break;
        case DEVELOP_BLOCK_HEADING:
            para(b, x->level == 1 ? "Heading3" : "Heading4", x->text);
            break;
        case DEVELOP_BLOCK_ITEM:
            /* lists are numbered in the order their first items come */
            if (x->list > seen) {
                num_new(nb,
                        !x->ordered       ? ABSTRACT_BULLET
                        : x->delim == ')' ? ABSTRACT_PAREN
                                          : ABSTRACT_DOT,
                        x->depth, x->number);
                seen = x->list;
            }
            list_item(b, base + x->list, x->depth, x->text);
            break;
        }
    }
}

static void cell(struct buf *b, const char *text, bool header)
{
    buf_puts(b, "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr><w:p>");
    buf_puts(b, "<w:r>");
    if (header)
        buf_puts(b, "<w:rPr><w:b/></w:rPr>");
    buf_puts(b, "<w:t xml:space=\"preserve\">");
    xml_text(b, text);
    buf_puts(b, "</w:t></w:r></w:p></w:tc>");
}

static void career(struct buf *b, struct numbering *nb, const struct develop_cv *cv)
{
    para(b, "Heading1", "Clinical career");
    buf_puts(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" "
                "w:type=\"pct\"/><w:tblLook w:firstRow=\"1\"/></w:tblPr><w:tblGrid>"
                "<w:gridCol w:w=\"2700\"/><w:gridCol w:w=\"3600\"/><w:gridCol w:w=\"2700\"/>"
                "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    cell(b, "Dates", true);
    cell(b, "Role", true);
    cell(b, "Organisation", true);
    buf_puts(b, "</w:tr>");
    for (size_t i = 0; i < cv->ncareer; i++) {
        buf_puts(b, "<w:tr>");
        cell(b, cv->career[i].dates, false);
        cell(b, cv->career[i].entry->title, false);
        cell(b, cv->career[i].entry->context, false);
        buf_puts(b, "</w:tr>");
    }
    buf_puts(b, "</w:tbl>");
    for (size_t i = 0; i < cv->ncareer; i++)
        if (cv->career[i].nblocks) {
            para(b, "Heading2", cv->career[i].entry->title);
            body(b, nb, &cv->career[i]);
        }
}

static void byline(struct buf *b, const struct develop_cv_item *it)
{
    const char *parts[3] = {it->entry->context, it->dates, it->skill_names};
    struct buf s = BUF_INIT;
    buf_printf(&s, "%s", it->kind_name);
    for (size_t i = 0; i < 3; i++)
        if (parts[i] && *parts[i])
            buf_printf(&s, "%s%s", s.len ? " \u00b7 " : "", parts[i]);
    buf_putc(&s, '\0');
    if (!buf_oom(&s))
        para(b, NULL, s.data);
    else
        b->oom = true;
    buf_free(&s);
}

static void document(struct buf *b, struct numbering *nb, const struct develop_cv *cv)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
                "main\"><w:body>");
    para(b, "Title", *cv->name ? cv->name : "Non-medical CV");
    if (*cv->headline)
        para(b, "Subtitle", cv->headline);
    if (*cv->email)
        para(b, NULL, cv->email);
    if (*cv->summary) {
        para(b, "Heading1", "Profile");
        para(b, NULL, cv->summary);
    }
    if (cv->ncareer)
        career(b, nb, cv);
    for (size_t g = 0; g < DEVELOP_CV_GROUPS; g++) {
        const struct develop_cv_group *gr = &cv->groups[g];
        if (!gr->n && !gr->nalso)
            continue;
        para(b, "Heading1", gr->name);
        for (size_t i = 0; i < gr->n; i++) {
            para(b, "Heading2", gr->items[i].entry->title);
            byline(b, &gr->items[i]);
            body(b, nb, &gr->items[i]);
        }
        if (gr->nalso) {
            buf_puts(b, "<w:p><w:r><w:t xml:space=\"preserve\">Also showing ");
            xml_text(b, gr->name);
            buf_puts(b, ":</w:t></w:r></w:p>");
        }
        for (size_t i = 0, num = gr->nalso ? (size_t)num_new(nb, ABSTRACT_BULLET, 0, 1) : 0;
             i < gr->nalso; i++) {
            buf_printf(b,
                       "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl "
                       "w:val=\"0\"/><w:numId w:val=\"%zu\"/></w:numPr></w:pPr><w:r><w:t "
                       "xml:space=\"preserve\">",
                       num);
            xml_text(b, gr->also[i].item->entry->title);
            buf_puts(b, " (under ");
            xml_text(b, gr->also[i].group);
            buf_puts(b, ")</w:t></w:r></w:p>");
        }
    }
    if (!cv->nchosen)
        para(b, NULL, "No portfolio entries have been chosen for this CV yet.");
    buf_puts(b, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" "
                "w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" "
                "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n");
}

/* A paragraph style named name (Word's built-in names, lower-case "heading 1") with id. */
static void style(struct buf *b, const char *id, const char *name, int outline, int half_points,
                  bool bold, const char *colour)
{
    buf_printf(b,
               "<w:style w:type=\"paragraph\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>"
               "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
               "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/>",
               id, name);
    if (outline >= 0)
        buf_printf(b, "<w:outlineLvl w:val=\"%d\"/>", outline);
    buf_printf(b, "</w:pPr><w:rPr>%s<w:color w:val=\"%s\"/><w:sz w:val=\"%d\"/></w:rPr></w:style>",
               bold ? "<w:b/>" : "", colour, half_points);
}

static void styles(struct buf *b)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
                "main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Liberation Sans\" "
                "w:hAnsi=\"Liberation Sans\" w:cs=\"Liberation Sans\"/><w:sz w:val=\"22\"/>"
                "<w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
                "<w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault></w:docDefaults>"
                "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
                "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    style(b, "Title", "Title", -1, 48, true, "005EB8");
    style(b, "Subtitle", "Subtitle", -1, 28, false, "4C6272");
    style(b, "Heading1", "heading 1", 0, 32, true, "005EB8");
    style(b, "Heading2", "heading 2", 1, 26, true, "212B32");
    style(b, "Heading3", "heading 3", 2, 24, true, "212B32");
    style(b, "Heading4", "heading 4", 3, 22, true, "212B32");
    buf_puts(b, "<w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name "
                "w:val=\"List Paragraph\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>"
                "<w:spacing w:after=\"60\"/><w:contextualSpacing/></w:pPr></w:style>");
    buf_puts(b, "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
                "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:color=\"D8DDE0\"/>"
                "<w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"D8DDE0\"/><w:insideH "
                "w:val=\"single\" w:sz=\"4\" w:color=\"D8DDE0\"/></w:tblBorders><w:tblCellMar>"
                "<w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/>"
                "</w:tblCellMar></w:tblPr></w:style></w:styles>\n");
}

/* The numbering part: the three kinds of list, nine levels each, each level indented a step
 * further, then the instances the document uses. */
static void numbering_part(struct buf *b, const struct numbering *nb)
{
    static const char *const bullets[] = {"\u2022", "\u2013", "\u25aa"};
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
                "main\">");
    for (int a = ABSTRACT_BULLET; a <= ABSTRACT_PAREN; a++) {
        buf_printf(b,
                   "<w:abstractNum w:abstractNumId=\"%d\"><w:multiLevelType "
                   "w:val=\"hybridMultilevel\"/>",
                   a);
        for (int l = 0; l < 9; l++) {
            buf_printf(b, "<w:lvl w:ilvl=\"%d\"><w:start w:val=\"1\"/>", l);
            if (a == ABSTRACT_BULLET)
                buf_printf(b, "<w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"%s\"/>",
                           bullets[l % 3]);
            else
                buf_printf(b, "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%%%d%c\"/>", l + 1,
                           a == ABSTRACT_PAREN ? ')' : '.');
            buf_printf(b,
                       "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"%d\" "
                       "w:hanging=\"360\"/></w:pPr></w:lvl>",
                       720 * (l + 1));
        }
        buf_puts(b, "</w:abstractNum>");
    }
    buf_append(b, nb->nums.data, nb->nums.len);
    buf_puts(b, "</w:numbering>\n");
}

static void core(struct buf *b, const struct develop_cv *cv, int64_t date)
{
    char when[32] = "";
    struct tm tm;
    time_t t = (time_t)date;
    if (date > 0 && gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
                "XMLSchema-instance\"><dc:title>");
    xml_text(b, *cv->name ? cv->name : "Non-medical CV");
    buf_puts(b, " \u2013 non-medical CV</dc:title><dc:creator>");
    xml_text(b, cv->name);
    buf_puts(b, "</dc:creator><dc:language>en-GB</dc:language>");
    if (*when)
        buf_printf(b, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>", when);
    buf_puts(b, "</cp:coreProperties>\n");
}

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>\n";

static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>\n";

static const char DOC_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/numbering\" Target=\"numbering.xml\"/></Relationships>\n";

/* Adds name with len bytes at data (which must outlive zip_close()). */
static bool add(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(z, data, len, 0);
    if (!s)
        return false;
    if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(s);
        return false;
    }
    return true;
}

int develop_cv_docx(const struct develop_cv *cv, int64_t date, struct buf *out)
{
    struct buf doc = BUF_INIT, sty = BUF_INIT, cor = BUF_INIT, num = BUF_INIT;
    struct numbering nb = {BUF_INIT, 0};
    zip_error_t ze;
    zip_source_t *src = NULL;
    zip_t *z = NULL;
    zip_stat_t st;
    int rc = APP_E_INTERNAL;

    document(&doc, &nb, cv);
    styles(&sty);
    numbering_part(&num, &nb);
    core(&cor, cv, date);
    if (buf_oom(&doc) || buf_oom(&sty) || buf_oom(&cor) || buf_oom(&nb.nums) || buf_oom(&num)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)))
        goto done;
    if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
        goto done;
    zip_source_keep(src); /* it outlives the archive: the bytes are read from it after */
    /* [Content_Types].xml first, as Office writes it */
    if (!add(z, "[Content_Types].xml", CONTENT_TYPES, sizeof CONTENT_TYPES - 1) ||
        !add(z, "_rels/.rels", RELS, sizeof RELS - 1) ||
        !add(z, "word/_rels/document.xml.rels", DOC_RELS, sizeof DOC_RELS - 1) ||
        !add(z, "word/document.xml", doc.data, doc.len) ||
        !add(z, "word/styles.xml", sty.data, sty.len) ||
        !add(z, "word/numbering.xml", num.data, num.len) ||
        !add(z, "docProps/core.xml", cor.data, cor.len))
        goto done;
    if (zip_close(z) < 0)
        goto done;
    z = NULL;
    if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) < 0)
        goto done;
    if (buf_reserve(out, (size_t)st.size + 1)) {
        zip_source_close(src);
        rc = APP_E_NOMEM;
        goto done;
    }
    if (zip_source_read(src, out->data + out->len, st.size) == (zip_int64_t)st.size) {
        out->len += (size_t)st.size;
        out->data[out->len] = '\0';
        rc = APP_OK;
    }
    zip_source_close(src);
done:
    if (z)
        zip_discard(z);
    if (src)
        zip_source_free(src);
    buf_free(&doc);
    buf_free(&sty);
    buf_free(&cor);
    buf_free(&num);
    buf_free(&nb.nums);
    return rc;
}
