/* cookie_engine.h: an easy handle's cookie state and libcurl 8.14's option
 * semantics around it, so that lib/api wires cookies with one call per
 * option (setopt), event (transfer start, cleanup, reset, duphandle,
 * share attach/detach) and CURLINFO_COOKIELIST.
 *
 * libcurl's model, which this follows:
 *   - the "cookie engine" of a handle is on once COOKIEFILE files were
 *     loaded at a transfer start (any name, "" included), COOKIEJAR was
 *     set, or a COOKIELIST line created the jar; only then does a transfer
 *     send stored cookies and store received ones. Sharing cookies
 *     (CURL_LOCK_DATA_COOKIE) gives the handle the share's jar but does not
 *     turn the engine on;
 *   - COOKIEFILE adds to a list of files read at the start of every
 *     transfer (and on COOKIELIST "RELOAD"); COOKIEFILE NULL empties the
 *     list and drops the handle's jar (a shared jar is only let go);
 *   - COOKIEJAR is written on COOKIELIST "FLUSH" and at curl_easy_cleanup;
 *   - curl_easy_reset forgets files, jar name and COOKIESESSION but keeps
 *     the cookies; curl_easy_duphandle copies the file list and starts an
 *     empty jar when the original's engine was on.
 *
 * Ownership: embedded in the easy handle (cn_cookie_engine_init/_cleanup).
 * The engine owns its store unless the store came from a share handle. */
#ifndef CN_COOKIES_COOKIE_ENGINE_H
#define CN_COOKIES_COOKIE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

struct cn_cookie_store;
struct cn_net_log;

struct cn_cookie_engine {
  struct cn_cookie_store *store; /* NULL: no jar yet */
  bool shared;  /* |store| belongs to a share handle */
  bool enabled; /* libcurl's state.cookie_engine */
  char **files; /* CURLOPT_COOKIEFILE names, in order (owned) */
  size_t num_files;
  char *jar;    /* CURLOPT_COOKIEJAR (owned) */
  bool session; /* CURLOPT_COOKIESESSION */
};

/* Longest string libcurl accepts for COOKIEFILE / a COOKIELIST line
 * (CURL_MAX_INPUT_LENGTH). */
#define CN_COOKIE_MAX_INPUT 8000000

void cn_cookie_engine_init(struct cn_cookie_engine *e);
/* cn_cookie_engine_cleanup frees everything the engine owns without
 * writing the jar (see cn_cookie_engine_close). */
void cn_cookie_engine_cleanup(struct cn_cookie_engine *e);

/* --- setopt --- */

/* CURLOPT_COOKIEFILE. |path| non-NULL is appended to the file list
 * (CN_ERR_INVALID_ARGUMENT when over CN_COOKIE_MAX_INPUT; on
 * CN_ERR_OUT_OF_MEMORY the whole list is dropped, as libcurl does). NULL
 * empties the list and lets go of the jar (freed unless shared). */
int cn_cookie_engine_set_file(struct cn_cookie_engine *e, const char *path);
/* CURLOPT_COOKIEJAR: records |path| (NULL clears it) and turns the engine
 * on, making an empty jar if there is none. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_cookie_engine_set_jar(struct cn_cookie_engine *e, const char *path);
/* CURLOPT_COOKIESESSION. */
void cn_cookie_engine_set_session(struct cn_cookie_engine *e, bool on);
/* CURLOPT_COOKIELIST: "ALL", "SESS", "FLUSH", "RELOAD" (case-insensitive),
 * else a "Set-Cookie:" line or a Netscape line added to the jar (made, and
 * the engine turned on, if there is none). NULL does nothing. Returns
 * CN_OK, CN_ERR_OUT_OF_MEMORY or CN_ERR_INVALID_ARGUMENT (a line over
 * CN_COOKIE_MAX_INPUT). A rejected cookie is not an error. */
int cn_cookie_engine_command(struct cn_cookie_engine *e, const char *cmd,
                             const struct cn_net_log *log);

/* --- transfers and handle lifetime --- */

/* cn_cookie_engine_load_files reads every COOKIEFILE into the jar (making
 * one and turning the engine on when the list is not empty). Call at each
 * transfer start (libcurl's Curl_pretransfer), before taking
 * cn_cookie_engine_active. Unreadable files are skipped. Returns CN_OK or
 * CN_ERR_OUT_OF_MEMORY, which libcurl ignores ("ignoring failed
 * cookie_init"): a transfer should go on. */
int cn_cookie_engine_load_files(struct cn_cookie_engine *e,
                                const struct cn_net_log *log);
/* cn_cookie_engine_active returns the jar a transfer uses to send and
 * store cookies, or NULL when the engine is off. */
struct cn_cookie_store *cn_cookie_engine_active(
    const struct cn_cookie_engine *e);
/* cn_cookie_engine_flush writes the jar to COOKIEJAR if both exist
 * (COOKIELIST "FLUSH"). CN_OK, CN_ERR_FILE_WRITE_FAILED or
 * CN_ERR_OUT_OF_MEMORY (logged as libcurl's "WARNING: failed to save
 * cookies in ..."; libcurl reports nothing to the program). */
int cn_cookie_engine_flush(struct cn_cookie_engine *e,
                           const struct cn_net_log *log);
/* cn_cookie_engine_close is curl_easy_cleanup's part: flush, then cleanup.
 * Call it while a shared jar is still attached (libcurl writes the shared
 * jar to this handle's COOKIEJAR). */
void cn_cookie_engine_close(struct cn_cookie_engine *e,
                            const struct cn_net_log *log);
/* cn_cookie_engine_reset is curl_easy_reset's part: forgets the file list,
 * the jar name and COOKIESESSION; keeps the cookies and the engine state. */
void cn_cookie_engine_reset(struct cn_cookie_engine *e);
/* cn_cookie_engine_dup initialises |out| as curl_easy_duphandle does from
 * |in|: same files, jar name and session flag; an empty jar of its own
 * (engine on) when |in|'s engine was on. CN_OK or CN_ERR_OUT_OF_MEMORY
 * (|out| then holds nothing). */
int cn_cookie_engine_dup(struct cn_cookie_engine *out,
                         const struct cn_cookie_engine *in);

/* --- sharing (CURLOPT_SHARE with CURL_LOCK_DATA_COOKIE) --- */

/* cn_cookie_engine_attach_shared makes |store| (owned by the share, lock
 * hooks set) the handle's jar, freeing the handle's own one. */
void cn_cookie_engine_attach_shared(struct cn_cookie_engine *e,
                                    struct cn_cookie_store *store);
/* cn_cookie_engine_detach_shared lets go of |store| if it is the jar in
 * use (the handle is left without a jar, as in libcurl). */
void cn_cookie_engine_detach_shared(struct cn_cookie_engine *e,
                                    struct cn_cookie_store *store);

/* --- CURLINFO_COOKIELIST --- */

/* cn_cookie_engine_list returns the jar's cookies as Netscape lines in
 * libcurl's order (cn_cookie_lines_free); *out_lines NULL when there are
 * none or no jar. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_cookie_engine_list(struct cn_cookie_engine *e, char ***out_lines,
                          size_t *out_num);

#endif
