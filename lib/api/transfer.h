/* transfer.h: one easy handle's running transfer: the immutable snapshot
 * of its options, the url_request below it, the callbacks into the program
 * (write, header, debug, progress, read) and the transfer's timer.
 *
 * Ownership: the easy handle owns its transfer; the transfer borrows the
 * multi's network session. */
#ifndef CN_API_TRANSFER_H
#define CN_API_TRANSFER_H

#include <curl/curl.h>
#include <stdbool.h>

struct cn_easy;
struct cn_multi;
struct cn_transfer;

/* cn_transfer_start snapshots |easy|'s options and starts the transfer on
 * |multi|. Errors found at once (bad options) still finish through
 * cn_multi_transfer_done. CURLE_OK or CURLE_OUT_OF_MEMORY. */
CURLcode cn_transfer_start(struct cn_easy *easy, struct cn_multi *multi);
/* cn_transfer_pause sets the CURLPAUSE_* bits in force (curl_easy_pause).
 * Unpausing receiving delivers held output before returning, unless called
 * from inside one of the transfer's own callbacks (then from the event
 * loop); a failing write callback's CURLcode comes back and fails the
 * transfer. */
CURLcode cn_transfer_pause(struct cn_transfer *t, int bitmask);
/* cn_transfer_fail ends a running transfer with |result| now (reported
 * through cn_multi_transfer_done). */
void cn_transfer_fail(struct cn_transfer *t, CURLcode result);
/* cn_transfer_free stops and frees (no completion reported). */
void cn_transfer_free(struct cn_transfer *t);

#endif
