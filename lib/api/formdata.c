/* formdata.c: the deprecated form API (curl_formadd, curl_formget,
 * curl_formfree) on top of the MIME tree, as libcurl 8.14 builds it: a
 * curl_httppost list is only a description; a transfer (or curl_formget)
 * turns it into a curl_mime tree and reads that. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "api/mime_internal.h"
#include "util/alloc.h"

#define F_FILENAME CURL_HTTPPOST_FILENAME
#define F_READFILE CURL_HTTPPOST_READFILE
#define F_PTRNAME CURL_HTTPPOST_PTRNAME
#define F_PTRCONTENTS CURL_HTTPPOST_PTRCONTENTS
#define F_BUFFER CURL_HTTPPOST_BUFFER
#define F_PTRBUFFER CURL_HTTPPOST_PTRBUFFER
#define F_CALLBACK CURL_HTTPPOST_CALLBACK
#define F_LARGE CURL_HTTPPOST_LARGE

#define FILE_TYPE_DEFAULT "application/octet-stream"

/* One curl_formadd item being collected: the first for the field, then one
 * more per extra CURLFORM_FILE (or CURLFORM_CONTENTTYPE after one). The
 * *_owned flags say which strings curl_formadd allocated. */
struct form_item {
  struct form_item *more;
  char *name;
  bool name_owned;
  size_t namelength;
  char *value;
  bool value_owned;
  curl_off_t contentslength;
  char *buffer;
  size_t bufferlength;
  char *contenttype;
  bool contenttype_owned;
  struct curl_slist *contentheader;
  char *showfilename;
  bool showfilename_owned;
  void *userp;
  long flags;
};

/* add_file_item starts the next item of a multi-file field, after |cur|. */
static struct form_item *add_file_item(struct form_item *cur, char *value,
                                       char *type) {
  struct form_item *it = cn_calloc(1, sizeof(*it));
  if (!it)
    return NULL;
  it->value = value;
  it->value_owned = value != NULL;
  it->contenttype = type;
  it->contenttype_owned = type != NULL;
  it->flags = F_FILENAME;
  it->more = cur->more;
  cur->more = it;
  return it;
}

/* free_item_strings frees what curl_formadd allocated for the items (but
 * not the items). */
static void free_item_strings(struct form_item *it) {
  for (; it; it = it->more) {
    if (it->name_owned)
      cn_free(it->name);
    if (it->value_owned)
      cn_free(it->value);
    if (it->contenttype_owned)
      cn_free(it->contenttype);
    if (it->showfilename_owned)
      cn_free(it->showfilename);
    it->name_owned = it->value_owned = false;
    it->contenttype_owned = it->showfilename_owned = false;
  }
}

/* Reads one option's value: from the va_list, or from the current
 * CURLFORM_ARRAY entry. */
struct form_args {
  va_list *ap;
  const struct curl_forms *array; /* non-NULL while inside an array */
  const char *array_value;
};

static char *arg_ptr(struct form_args *a) {
  return a->array ? (char *)a->array_value : va_arg(*a->ap, char *);
}

static size_t arg_len(struct form_args *a) {
  return a->array ? (size_t)a->array_value : (size_t)va_arg(*a->ap, long);
}

static CURLFORMcode copy_option_string(char **field, bool *owned,
                                       const char *v) {
  if (!v)
    return CURL_FORMADD_NULL;
  char *copy = cn_strdup(v);
  if (!copy)
    return CURL_FORMADD_MEMORY;
  if (*owned)
    cn_free(*field); /* FILE then FILECONTENT: the last one counts */
  *field = copy;
  *owned = true;
  return CURL_FORMADD_OK;
}

/* parse_options collects the option list into items starting at |first|.
 * Returns the first error, as libcurl does. */
static CURLFORMcode parse_options(struct form_item *first, va_list *ap) {
  struct form_item *cur = first;
  struct form_args a = {ap, NULL, NULL};
  const struct curl_forms *forms = NULL;
  CURLFORMcode rc = CURL_FORMADD_OK;
  while (rc == CURL_FORMADD_OK) {
    CURLformoption option;
    if (forms) {
      option = forms->option;
      a.array_value = forms->value;
      forms++;
      if (option == CURLFORM_END) {
        forms = NULL;
        a.array = NULL;
        continue;
      }
    } else {
      /* an enum travels through "..." as an int */
      option = (CURLformoption)va_arg(*ap, int);
      if (option == CURLFORM_END)
        break;
    }
    switch (option) {
    case CURLFORM_ARRAY:
      if (forms) {
        rc = CURL_FORMADD_ILLEGAL_ARRAY; /* no array in an array */
      } else {
        forms = va_arg(*ap, struct curl_forms *);
        if (!forms)
          rc = CURL_FORMADD_NULL;
        a.array = forms;
      }
      break;
    case CURLFORM_PTRNAME:
    case CURLFORM_COPYNAME: {
      if (option == CURLFORM_PTRNAME)
        cur->flags |= F_PTRNAME;
      if (cur->name) {
        rc = CURL_FORMADD_OPTION_TWICE;
        break;
      }
      char *v = arg_ptr(&a);
      if (v)
        cur->name = v; /* copied once the item is complete */
      else
        rc = CURL_FORMADD_NULL;
      break;
    }
    case CURLFORM_NAMELENGTH:
      if (cur->namelength)
        rc = CURL_FORMADD_OPTION_TWICE;
      else
        cur->namelength = arg_len(&a);
      break;
    case CURLFORM_PTRCONTENTS:
    case CURLFORM_COPYCONTENTS: {
      if (option == CURLFORM_PTRCONTENTS)
        cur->flags |= F_PTRCONTENTS;
      if (cur->value) {
        rc = CURL_FORMADD_OPTION_TWICE;
        break;
      }
      char *v = arg_ptr(&a);
      if (v)
        cur->value = v;
      else
        rc = CURL_FORMADD_NULL;
      break;
    }
    case CURLFORM_CONTENTSLENGTH:
      cur->contentslength = (curl_off_t)arg_len(&a);
      break;
    case CURLFORM_CONTENTLEN:
      cur->flags |= F_LARGE;
      cur->contentslength =
          a.array ? (curl_off_t)(size_t)a.array_value : va_arg(*ap, curl_off_t);
      break;
    case CURLFORM_FILECONTENT:
      if (cur->flags & (F_PTRCONTENTS | F_READFILE)) {
        rc = CURL_FORMADD_OPTION_TWICE;
        break;
      }
      rc = copy_option_string(&cur->value, &cur->value_owned, arg_ptr(&a));
      if (rc == CURL_FORMADD_OK)
        cur->flags |= F_READFILE;
      break;
    case CURLFORM_FILE: {
      const char *v = arg_ptr(&a);
      if (!cur->value) {
        rc = copy_option_string(&cur->value, &cur->value_owned, v);
        if (rc == CURL_FORMADD_OK)
          cur->flags |= F_FILENAME;
      } else if (!(cur->flags & F_FILENAME)) {
        rc = CURL_FORMADD_OPTION_TWICE;
      } else if (!v) {
        rc = CURL_FORMADD_NULL;
      } else {
        /* another file under the same field */
        char *copy = cn_strdup(v);
        struct form_item *it = copy ? add_file_item(cur, copy, NULL) : NULL;
        if (!it) {
          cn_free(copy);
          rc = CURL_FORMADD_MEMORY;
        } else {
          cur = it;
        }
      }
      break;
    }
    case CURLFORM_BUFFERPTR: {
      cur->flags |= F_PTRBUFFER | F_BUFFER;
      if (cur->buffer) {
        rc = CURL_FORMADD_OPTION_TWICE;
        break;
      }
      char *v = arg_ptr(&a);
      if (v) {
        cur->buffer = v;
        cur->value = v; /* non-NULL: the item counts as having contents */
      } else {
        rc = CURL_FORMADD_NULL;
      }
      break;
    }
    case CURLFORM_BUFFERLENGTH:
      if (cur->bufferlength)
        rc = CURL_FORMADD_OPTION_TWICE;
      else
        cur->bufferlength = arg_len(&a);
      break;
    case CURLFORM_STREAM: {
      cur->flags |= F_CALLBACK;
      if (cur->userp) {
        rc = CURL_FORMADD_OPTION_TWICE;
        break;
      }
      char *v = arg_ptr(&a);
      if (v) {
        cur->userp = v;
        cur->value = v; /* non-NULL: the item counts as having contents */
      } else {
        rc = CURL_FORMADD_NULL;
      }
      break;
    }
    case CURLFORM_CONTENTTYPE: {
      const char *v = arg_ptr(&a);
      if (!cur->contenttype) {
        rc = copy_option_string(&cur->contenttype, &cur->contenttype_owned, v);
      } else if (!(cur->flags & F_FILENAME)) {
        rc = CURL_FORMADD_OPTION_TWICE;
      } else if (!v) {
        rc = CURL_FORMADD_NULL;
      } else {
        /* a second type starts the next file's item */
        char *copy = cn_strdup(v);
        struct form_item *it = copy ? add_file_item(cur, NULL, copy) : NULL;
        if (!it) {
          cn_free(copy);
          rc = CURL_FORMADD_MEMORY;
        } else {
          cur = it;
        }
      }
      break;
    }
    case CURLFORM_CONTENTHEADER: {
      struct curl_slist *list = a.array
                                    ? (struct curl_slist *)(void *)a.array_value
                                    : va_arg(*ap, struct curl_slist *);
      if (cur->contentheader)
        rc = CURL_FORMADD_OPTION_TWICE;
      else
        cur->contentheader = list;
      break;
    }
    case CURLFORM_FILENAME:
    case CURLFORM_BUFFER: {
      const char *v = arg_ptr(&a);
      if (cur->showfilename)
        rc = CURL_FORMADD_OPTION_TWICE;
      else
        rc =
            copy_option_string(&cur->showfilename, &cur->showfilename_owned, v);
      break;
    }
    default:
      rc = CURL_FORMADD_UNKNOWN_OPTION;
      break;
    }
  }
  return rc;
}

/* new_post makes the curl_httppost for |it|; NULL on OOM or when a length
 * does not fit a long. */
static struct curl_httppost *new_post(const struct form_item *it) {
  size_t namelength = it->namelength;
  if (!namelength && it->name)
    namelength = strlen(it->name);
  if (it->bufferlength > LONG_MAX || namelength > LONG_MAX)
    return NULL;
  struct curl_httppost *p = cn_calloc(1, sizeof(*p));
  if (!p)
    return NULL;
  p->name = it->name;
  p->namelength = (long)namelength;
  p->contents = it->value;
  p->contentlen = it->contentslength;
  p->buffer = it->buffer;
  p->bufferlength = (long)it->bufferlength;
  p->contenttype = it->contenttype;
  p->flags = it->flags | F_LARGE;
  p->contentheader = it->contentheader;
  p->showfilename = it->showfilename;
  p->userp = it->userp;
  return p;
}

/* free_posts frees the structs of a chain that was never handed out (the
 * strings belong to the items). */
static void free_posts(struct curl_httppost *p) {
  while (p) {
    struct curl_httppost *next = p->next;
    free_posts(p->more);
    cn_free(p);
    p = next;
  }
}

/* build_posts checks the items, copies what must be copied and makes the
 * new chain: *out_first with its extra files on ->more. */
static CURLFORMcode build_posts(struct form_item *first,
                                struct curl_httppost **out_first) {
  const char *prevtype = NULL;
  struct curl_httppost *head = NULL, *prev = NULL;
  *out_first = NULL;
  for (struct form_item *it = first; it; it = it->more) {
    bool incomplete =
        ((!it->name || !it->value) && !head) ||
        (it->contentslength && (it->flags & F_FILENAME)) ||
        ((it->flags & F_FILENAME) && (it->flags & F_PTRCONTENTS)) ||
        (!it->buffer && (it->flags & F_BUFFER) && (it->flags & F_PTRBUFFER)) ||
        ((it->flags & F_READFILE) && (it->flags & F_PTRCONTENTS));
    if (incomplete) {
      free_posts(head);
      return CURL_FORMADD_INCOMPLETE;
    }
    if ((it->flags & (F_FILENAME | F_BUFFER)) && !it->contenttype) {
      /* a file without a type: by its name, else the previous file's */
      const char *f = (it->flags & F_BUFFER) ? it->showfilename : it->value;
      const char *type = cn_mime_content_type_for_name(f);
      if (!type)
        type = prevtype;
      if (!type)
        type = FILE_TYPE_DEFAULT;
      it->contenttype = cn_strdup(type);
      if (!it->contenttype)
        goto oom;
      it->contenttype_owned = true;
    }
    if (it->name && it->namelength && memchr(it->name, 0, it->namelength)) {
      free_posts(head);
      return CURL_FORMADD_NULL;
    }
    if (!(it->flags & F_PTRNAME) && it->name) {
      it->name = cn_strndup(it->name,
                            it->namelength ? it->namelength : strlen(it->name));
      if (!it->name)
        goto oom;
      it->name_owned = true;
    }
    if (!(it->flags & (F_FILENAME | F_READFILE | F_PTRCONTENTS | F_PTRBUFFER |
                       F_CALLBACK)) &&
        it->value) {
      /* the contents may hold NUL bytes: copy by length */
      size_t clen = (size_t)it->contentslength;
      if (!clen)
        clen = strlen(it->value) + 1;
      it->value = cn_memdup(it->value, clen);
      if (!it->value)
        goto oom;
      it->value_owned = true;
    }
    struct curl_httppost *p = new_post(it);
    if (!p)
      goto oom;
    if (!head) {
      head = p;
    } else {
      p->more = prev->more;
      prev->more = p;
    }
    prev = p;
    if (it->contenttype)
      prevtype = it->contenttype;
  }
  *out_first = head;
  return CURL_FORMADD_OK;
oom:
  free_posts(head);
  return CURL_FORMADD_MEMORY;
}

static CURLFORMcode form_add(struct curl_httppost **httppost,
                             struct curl_httppost **last_post, va_list *ap) {
  struct form_item *first = cn_calloc(1, sizeof(*first));
  if (!first)
    return CURL_FORMADD_MEMORY;
  struct curl_httppost *chain = NULL;
  CURLFORMcode rc = parse_options(first, ap);
  if (rc == CURL_FORMADD_OK)
    rc = build_posts(first, &chain);
  if (rc != CURL_FORMADD_OK)
    free_item_strings(first);
  while (first) {
    struct form_item *next = first->more;
    cn_free(first);
    first = next;
  }
  if (rc == CURL_FORMADD_OK) {
    /* only a complete field joins the program's list */
    if (*last_post)
      (*last_post)->next = chain;
    else
      *httppost = chain;
    *last_post = chain;
  }
  return rc;
}

CURLFORMcode curl_formadd(struct curl_httppost **httppost,
                          struct curl_httppost **last_post, ...) {
  va_list ap;
  va_start(ap, last_post);
  CURLFORMcode rc = form_add(httppost, last_post, &ap);
  va_end(ap);
  return rc;
}

void curl_formfree(struct curl_httppost *form) {
  while (form) {
    struct curl_httppost *next = form->next;
    curl_formfree(form->more);
    if (!(form->flags & F_PTRNAME))
      cn_free(form->name);
    if (!(form->flags & (F_PTRCONTENTS | F_BUFFER | F_CALLBACK)))
      cn_free(form->contents);
    cn_free(form->contenttype);
    cn_free(form->showfilename);
    cn_free(form);
    form = next;
  }
}

/* --- from the list to a MIME tree ----------------------------------------- */

static CURLcode set_name(curl_mimepart *part, const char *name, long len) {
  if (!name || len <= 0)
    return curl_mime_name(part, name);
  char *z = cn_strndup(name, (size_t)len);
  if (!z)
    return CURLE_OUT_OF_MEMORY;
  CURLcode rc = curl_mime_name(part, z);
  cn_free(z);
  return rc;
}

/* "-" as a file name reads standard input (kept for old programs). */
static size_t read_stdin(char *buf, size_t size, size_t n, void *f) {
  return fread(buf, size, n, (FILE *)f);
}

static int seek_stdin(void *f, curl_off_t offset, int whence) {
  return fseeko((FILE *)f, (off_t)offset, whence) == 0 ? CURL_SEEKFUNC_OK
                                                       : CURL_SEEKFUNC_CANTSEEK;
}

/* set_content gives |part| the contents of |file|, an entry of the field
 * |post| (whose flags and sizes describe every file of the field, as in
 * libcurl). */
static CURLcode set_content(curl_mimepart *part,
                            const struct curl_httppost *post,
                            const struct curl_httppost *file,
                            curl_read_callback fread_func) {
  curl_off_t clen =
      (post->flags & F_LARGE) ? post->contentlen : post->contentslength;
  CURLcode rc;
  if (post->flags & (F_FILENAME | F_READFILE)) {
    if (strcmp(file->contents, "-") == 0)
      rc = curl_mime_data_cb(part, -1, read_stdin, seek_stdin, NULL, stdin);
    else
      rc = curl_mime_filedata(part, file->contents);
    if (rc == CURLE_OK && (post->flags & F_READFILE))
      rc = curl_mime_filename(part, NULL);
  } else if (post->flags & F_BUFFER) {
    rc = curl_mime_data(part, post->buffer,
                        post->bufferlength ? (size_t)post->bufferlength
                                           : CURL_ZERO_TERMINATED);
  } else if (post->flags & F_CALLBACK) {
    /* the size given with the stream, or unknown */
    rc = curl_mime_data_cb(part, clen ? clen : -1, fread_func, NULL, NULL,
                           post->userp);
  } else {
    rc = curl_mime_data(part, post->contents,
                        clen ? (size_t)clen : CURL_ZERO_TERMINATED);
  }
  return rc;
}

CURLcode cn_form_to_mime(struct curl_mimepart *top, struct curl_httppost *post,
                         curl_read_callback fread_func) {
  cn_mime_part_cleanup(top);
  if (!post)
    return CURLE_OK;
  curl_mime *form = curl_mime_init(NULL);
  CURLcode rc = form ? curl_mime_subparts(top, form) : CURLE_OUT_OF_MEMORY;
  if (rc != CURLE_OK)
    curl_mime_free(form);
  for (; rc == CURLE_OK && post; post = post->next) {
    /* several files under one name: a multipart/mixed part of that name */
    curl_mime *files = form;
    if (post->more) {
      curl_mimepart *holder = curl_mime_addpart(form);
      rc = holder ? set_name(holder, post->name, post->namelength)
                  : CURLE_OUT_OF_MEMORY;
      if (rc == CURLE_OK) {
        files = curl_mime_init(NULL);
        rc = files ? curl_mime_subparts(holder, files) : CURLE_OUT_OF_MEMORY;
        if (rc != CURLE_OK)
          curl_mime_free(files);
      }
    }
    for (const struct curl_httppost *f = post; rc == CURLE_OK && f;
         f = f->more) {
      curl_mimepart *part = curl_mime_addpart(files);
      if (!part) {
        rc = CURLE_OUT_OF_MEMORY;
        break;
      }
      rc = curl_mime_headers(part, f->contentheader, 0);
      if (rc == CURLE_OK && f->contenttype)
        rc = curl_mime_type(part, f->contenttype);
      if (rc == CURLE_OK && !post->more)
        rc = set_name(part, post->name, post->namelength);
      if (rc == CURLE_OK)
        rc = set_content(part, post, f, fread_func);
      /* the field's display name goes on every one of its files */
      if (rc == CURLE_OK && post->showfilename &&
          (post->more || (post->flags & (F_FILENAME | F_BUFFER | F_CALLBACK))))
        rc = curl_mime_filename(part, post->showfilename);
    }
  }
  if (rc != CURLE_OK)
    cn_mime_part_cleanup(top);
  return rc;
}

/* --- curl_formget
 * -------------------------------------------------------------- */

int curl_formget(struct curl_httppost *form, void *arg,
                 curl_formget_callback append) {
  curl_mimepart top;
  cn_mime_part_init(&top);
  /* No easy handle here: no CURLSTREAM parts can be read (their content
   * stays empty) and names get the default escaping. */
  CURLcode rc = cn_form_to_mime(&top, form, NULL);
  if (rc == CURLE_OK)
    rc = cn_mime_prepare_headers(&top, "multipart/form-data", NULL, false);
  while (rc == CURLE_OK) {
    char buf[8192];
    size_t n = 0;
    enum cn_mime_read_status st = cn_mime_part_read(&top, buf, sizeof(buf), &n);
    if (n) {
      if (append(arg, buf, n) != n)
        rc = CURLE_READ_ERROR;
      continue;
    }
    if (st == CN_MIME_READ_EOF)
      break;
    rc =
        st == CN_MIME_READ_ABORT ? CURLE_ABORTED_BY_CALLBACK : CURLE_READ_ERROR;
  }
  cn_mime_part_cleanup(&top);
  return (int)rc;
}
