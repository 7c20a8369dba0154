/* text_arena.h: many small strings in a few blocks (one allocation for a
 * response head's worth of header text instead of one per field).
 *
 * Strings never move: what cn_text_arena_alloc returns stays valid until
 * cn_text_arena_reset or _cleanup. Reset keeps the blocks for reuse, so an
 * arena that lives across transfers allocates nothing in steady state.
 * Blocks are sized for the request that needed them, rounded up to
 * |block_step| bytes.
 *
 * Embedded object: cn_text_arena_init()/cn_text_arena_cleanup(). */
#ifndef CN_UTIL_TEXT_ARENA_H
#define CN_UTIL_TEXT_ARENA_H

#include <stddef.h>

struct cn_text_arena_block;

struct cn_text_arena {
  struct cn_text_arena_block *blocks; /* owned list */
  size_t block_step;
};

void cn_text_arena_init(struct cn_text_arena *a, size_t block_step);
/* cn_text_arena_reset makes all space free again (earlier strings become
 * invalid) and keeps the blocks. */
void cn_text_arena_reset(struct cn_text_arena *a);
void cn_text_arena_cleanup(struct cn_text_arena *a);
/* cn_text_arena_alloc returns |len| bytes (len > 0), or NULL on OOM. */
char *cn_text_arena_alloc(struct cn_text_arena *a, size_t len);
/* cn_text_arena_strndup copies |len| bytes of |s| and a NUL; NULL on OOM. */
char *cn_text_arena_strndup(struct cn_text_arena *a, const char *s, size_t len);

#endif
