/* text_arena.c: block storage for short strings. */
#include "util/text_arena.h"

#include <string.h>

#include "util/alloc.h"

struct cn_text_arena_block {
  struct cn_text_arena_block *next;
  size_t cap;
  size_t used;
  char data[];
};

void cn_text_arena_init(struct cn_text_arena *a, size_t block_step) {
  a->blocks = NULL;
  a->block_step = block_step ? block_step : 1;
}

void cn_text_arena_reset(struct cn_text_arena *a) {
  for (struct cn_text_arena_block *b = a->blocks; b; b = b->next)
    b->used = 0;
}

void cn_text_arena_cleanup(struct cn_text_arena *a) {
  while (a->blocks) {
    struct cn_text_arena_block *b = a->blocks;
    a->blocks = b->next;
    cn_free(b);
  }
}

char *cn_text_arena_alloc(struct cn_text_arena *a, size_t len) {
  struct cn_text_arena_block *b = a->blocks;
  for (; b; b = b->next)
    if (b->cap - b->used >= len)
      break;
  if (!b) {
    size_t step = a->block_step;
    if (len > (size_t)-1 - sizeof(*b) - step)
      return NULL;
    size_t cap = (len + step - 1) / step * step;
    b = cn_malloc(sizeof(*b) + cap);
    if (!b)
      return NULL;
    b->cap = cap;
    b->used = 0;
    b->next = a->blocks;
    a->blocks = b;
  }
  char *p = b->data + b->used;
  b->used += len;
  return p;
}

char *cn_text_arena_strndup(struct cn_text_arena *a, const char *s,
                            size_t len) {
  char *p = cn_text_arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}
