/* netrc.c: .netrc lookup with libcurl 8.14's tokenizer and matching. */
#include "url_request/netrc.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

#define MAX_LINE 16384         /* a line this long (with its \n) ends reading */
#define MAX_FILE (128 * 1024)  /* a bigger file is a syntax error */
#define MAX_TOKEN 4096         /* a longer token is a syntax error */
#define READ_CHUNK 128

void cn_netrc_store_init(struct cn_netrc_store *s) {
  s->text = NULL;
  s->len = 0;
}

void cn_netrc_store_cleanup(struct cn_netrc_store *s) {
  cn_free(s->text);
  cn_netrc_store_init(s);
}

const char *cn_netrc_strerror(enum cn_netrc_result r) {
  switch (r) {
  case CN_NETRC_FILE_MISSING:
    return "no such file";
  case CN_NETRC_NO_MATCH:
    return "no matching entry";
  case CN_NETRC_OUT_OF_MEMORY:
    return "out of memory";
  case CN_NETRC_SYNTAX_ERROR:
    return "syntax error";
  case CN_NETRC_OK:
  default:
    return "";
  }
}

/* --- the tokenizer and matcher ------------------------------------------ */

enum host_state { NOTHING, HOSTFOUND, HOSTVALID, MACDEF };
enum keyword { KW_NONE, KW_LOGIN, KW_PASSWORD };

#define FOUND_LOGIN 1
#define FOUND_PASSWORD 2

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* next_token reads the token at |p| into |tok| (reset first); *end is set
 * to the byte after it (after the closing quote for a quoted one). */
static enum cn_netrc_result next_token(const char *p, struct cn_buf *tok,
                                       const char **end) {
  cn_buf_reset(tok);
  int rv = CN_OK;
  if (*p != '"') {
    /* libcurl compares plain (signed) chars: >= 0x80 ends a token too. */
    const char *e = p;
    while ((signed char)*e > ' ')
      e++;
    if (e == p)
      return CN_NETRC_SYNTAX_ERROR;
    rv = cn_buf_append(tok, p, (size_t)(e - p));
    *end = e;
  } else {
    const char *e = p + 1;
    bool escape = false, closed = false;
    for (; *e && rv == CN_OK; e++) {
      char c = *e;
      if (escape) {
        escape = false;
        c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
      } else if (c == '\\') {
        escape = true;
        continue;
      } else if (c == '"') {
        closed = true;
        e++;
        break;
      }
      rv = cn_buf_append_byte(tok, c);
    }
    if (rv == CN_OK && (escape || !closed))
      return CN_NETRC_SYNTAX_ERROR;
    *end = e;
  }
  if (rv == CN_ERR_OUT_OF_MEMORY)
    return CN_NETRC_OUT_OF_MEMORY;
  return rv == CN_OK ? CN_NETRC_OK : CN_NETRC_SYNTAX_ERROR;
}

struct matcher {
  const char *host;
  bool specific;  /* the login was given */
  char *login;    /* owned unless |specific| */
  char *password; /* owned */
  enum host_state state;
  enum keyword keyword;
  unsigned found;
  bool our_login;
  bool done;
  enum cn_netrc_result result;
};

static void forget_entry(struct matcher *m) {
  cn_free(m->password);
  m->password = NULL;
  if (!m->specific) {
    cn_free(m->login);
    m->login = NULL;
  }
}

/* take_token runs one token through libcurl's state machine. */
static enum cn_netrc_result take_token(struct matcher *m, const char *tok) {
  switch (m->state) {
  case NOTHING:
    if (strcasecmp(tok, "macdef") == 0) {
      m->state = MACDEF;
    } else if (strcasecmp(tok, "machine") == 0) {
      m->state = HOSTFOUND;
      m->keyword = KW_NONE;
      m->found = 0;
      m->our_login = false;
      forget_entry(m);
    } else if (strcasecmp(tok, "default") == 0) {
      m->state = HOSTVALID;
      m->result = CN_NETRC_OK;
    }
    break;
  case MACDEF:
    if (!*tok)
      m->state = NOTHING;
    break;
  case HOSTFOUND:
    if (strcasecmp(m->host, tok) == 0) {
      m->state = HOSTVALID;
      m->result = CN_NETRC_OK;
    } else {
      m->state = NOTHING;
    }
    break;
  case HOSTVALID:
    if (m->keyword == KW_LOGIN) {
      if (m->specific) {
        m->our_login = strcmp(m->login, tok) == 0;
      } else {
        char *copy = cn_strdup(tok);
        if (!copy)
          return CN_NETRC_OUT_OF_MEMORY;
        m->our_login = true;
        cn_free(m->login);
        m->login = copy;
      }
      m->found |= FOUND_LOGIN;
      m->keyword = KW_NONE;
    } else if (m->keyword == KW_PASSWORD) {
      char *copy = cn_strdup(tok);
      if (!copy)
        return CN_NETRC_OUT_OF_MEMORY;
      cn_free(m->password);
      m->password = copy;
      if (!m->specific || m->our_login)
        m->found |= FOUND_PASSWORD;
      m->keyword = KW_NONE;
    } else if (strcasecmp(tok, "login") == 0) {
      m->keyword = KW_LOGIN;
    } else if (strcasecmp(tok, "password") == 0) {
      m->keyword = KW_PASSWORD;
    } else if (strcasecmp(tok, "machine") == 0) {
      if (m->found & FOUND_PASSWORD) {
        m->done = true; /* the entry before is complete: keep it */
        break;
      }
      m->state = HOSTFOUND;
      m->keyword = KW_NONE;
      m->found = 0;
      forget_entry(m);
    } else if (strcasecmp(tok, "default") == 0) {
      m->state = HOSTVALID;
      m->result = CN_NETRC_OK;
      forget_entry(m);
    }
    if (m->found == (FOUND_PASSWORD | FOUND_LOGIN) && m->our_login)
      m->done = true;
    break;
  }
  return CN_NETRC_OK;
}

enum cn_netrc_result cn_netrc_parse(const char *text, const char *host,
                                    const char *login, char **out_login,
                                    char **out_password) {
  struct matcher m = {
      .host = host,
      .specific = login != NULL,
      .login = (char *)login,
      .state = NOTHING,
      .result = CN_NETRC_NO_MATCH,
  };
  struct cn_buf tok;
  cn_buf_init(&tok, MAX_TOKEN - 1); /* libcurl counts the NUL */
  enum cn_netrc_result err = CN_NETRC_OK;
  const char *line = text && *text ? text : NULL;

  while (line && !m.done && err == CN_NETRC_OK) {
    const char *p = line;
    while (!m.done) {
      while (is_blank(*p))
        p++;
      if (m.state == MACDEF && (*p == '\n' || *p == '\r'))
        m.state = NOTHING; /* an empty line ends the macro */
      if (!*p || *p == '\n')
        break;
      const char *end;
      if ((err = next_token(p, &tok, &end)) != CN_NETRC_OK)
        break;
      if ((err = take_token(&m, tok.data ? tok.data : "")) != CN_NETRC_OK)
        break;
      /* libcurl steps over the byte after every token (a line end too, so
       * an entry may span lines). */
      p = *end ? end + 1 : end;
    }
    if (err != CN_NETRC_OK || m.done)
      break;
    const char *nl = strchr(p, '\n');
    line = nl ? nl + 1 : NULL;
  }
  cn_buf_cleanup(&tok);

  enum cn_netrc_result r = err != CN_NETRC_OK ? err : m.result;
  if (r == CN_NETRC_OK) {
    if (!m.password && m.our_login) {
      m.password = cn_strdup(""); /* a login without password */
      if (!m.password)
        r = CN_NETRC_OUT_OF_MEMORY;
    } else if (!m.login && !m.password) {
      r = CN_NETRC_NO_MATCH; /* a default without credentials */
    }
  }
  char *login_copy = NULL;
  if (r == CN_NETRC_OK && m.specific) {
    login_copy = cn_strdup(login);
    if (!login_copy)
      r = CN_NETRC_OUT_OF_MEMORY;
  }
  if (r == CN_NETRC_OK) {
    *out_login = m.specific ? login_copy : m.login;
    *out_password = m.password;
  } else {
    if (!m.specific)
      cn_free(m.login);
    cn_free(m.password);
  }
  return r;
}

/* --- the file ----------------------------------------------------------- */

/* default_path makes $HOME/.netrc (the home directory from the password
 * database without HOME). */
static enum cn_netrc_result default_path(char **out) {
  const char *home = getenv("HOME");
  char pwbuf[1024];
  struct passwd pw, *res = NULL;
  if (!home && getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &res) == 0 &&
      res)
    home = pw.pw_dir;
  if (!home)
    return CN_NETRC_FILE_MISSING;
  struct cn_buf b;
  cn_buf_init(&b, 0);
  *out = NULL;
  if (cn_buf_printf(&b, "%s/.netrc", home) == CN_OK)
    *out = cn_buf_detach(&b);
  cn_buf_cleanup(&b);
  return *out ? CN_NETRC_OK : CN_NETRC_OUT_OF_MEMORY;
}

/* read_line reads one line with its '\n' (added at the end of the file)
 * into |line|: 1 a line, 0 the end of the file, -1 a line too long (libcurl
 * stops reading there), CN_ERR_OUT_OF_MEMORY. */
static int read_line(FILE *f, struct cn_buf *line) {
  char chunk[READ_CHUNK];
  cn_buf_reset(line);
  for (;;) {
    if (!fgets(chunk, sizeof(chunk), f))
      return line->len ? 1 : 0;
    size_t n = strlen(chunk); /* like libcurl: a NUL hides the rest */
    if (!n)
      return 0;
    if (line->len + n + 1 > MAX_LINE)
      return -1;
    if (cn_buf_append(line, chunk, n) != CN_OK)
      return CN_ERR_OUT_OF_MEMORY;
    if (chunk[n - 1] == '\n')
      return 1;
    if (feof(f)) {
      if (line->len + 2 > MAX_LINE)
        return -1;
      return cn_buf_append_byte(line, '\n') == CN_OK ? 1
                                                      : CN_ERR_OUT_OF_MEMORY;
    }
  }
}

static enum cn_netrc_result load(struct cn_netrc_store *s, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return CN_NETRC_FILE_MISSING;
  struct cn_buf text, line;
  cn_buf_init(&text, 0);
  cn_buf_init(&line, 0);
  enum cn_netrc_result r = CN_NETRC_OK;
  int got;
  while ((got = read_line(f, &line)) == 1) {
    const char *p = line.data;
    while (is_blank(*p))
      p++;
    if (*p == '#')
      continue;
    size_t n = line.len - (size_t)(p - line.data);
    if (text.len + n + 1 > MAX_FILE) {
      r = CN_NETRC_SYNTAX_ERROR;
      break;
    }
    if (cn_buf_append(&text, p, n) != CN_OK) {
      r = CN_NETRC_OUT_OF_MEMORY;
      break;
    }
  }
  if (got == CN_ERR_OUT_OF_MEMORY)
    r = CN_NETRC_OUT_OF_MEMORY;
  fclose(f);
  cn_buf_cleanup(&line);
  if (r == CN_NETRC_OK) {
    s->len = text.len;
    s->text = cn_buf_detach(&text);
    if (!s->text)
      r = CN_NETRC_OUT_OF_MEMORY;
  }
  cn_buf_cleanup(&text);
  return r;
}

enum cn_netrc_result cn_netrc_lookup(struct cn_netrc_store *s,
                                     const char *file, const char *host,
                                     const char *login, char **out_login,
                                     char **out_password) {
  enum cn_netrc_result r = CN_NETRC_OK;
  if (!s->text) {
    char *path = NULL;
    if (!file)
      r = default_path(&path);
    if (r == CN_NETRC_OK)
      r = load(s, file ? file : path);
    cn_free(path);
  }
  if (r == CN_NETRC_OK)
    r = cn_netrc_parse(s->text, host, login, out_login, out_password);
  if (r != CN_NETRC_OK)
    cn_netrc_store_cleanup(s);
  return r;
}
