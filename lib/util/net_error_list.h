/* net_error_list.h: the one table of curlium's internal errors, in the shape
 * of Chromium's net_error_list.h. Include it with CN_NET_ERROR(name, value,
 * "description") defined. Values are negative and grouped in ranges:
 *     0- 99  system and generic
 *   100-199  connection
 *   200-299  certificate
 *   300-399  HTTP
 *   400-499  cache / content decoding (reserved)
 *   600-699  WebSocket
 *   700-799  curlium-specific API conditions
 *   800-899  DNS
 * Keep numbers stable: tests and traces print them. */

/* System / generic. */
CN_NET_ERROR(IO_PENDING, -1, "operation will complete asynchronously")
CN_NET_ERROR(FAILED, -2, "generic failure")
CN_NET_ERROR(ABORTED, -3, "operation aborted")
CN_NET_ERROR(INVALID_ARGUMENT, -4, "invalid argument")
CN_NET_ERROR(INVALID_HANDLE, -5, "invalid handle")
CN_NET_ERROR(FILE_NOT_FOUND, -6, "file not found")
CN_NET_ERROR(TIMED_OUT, -7, "operation timed out")
CN_NET_ERROR(FILE_TOO_BIG, -8, "file too big")
CN_NET_ERROR(UNEXPECTED, -9, "unexpected internal state")
CN_NET_ERROR(ACCESS_DENIED, -10, "access denied")
CN_NET_ERROR(NOT_IMPLEMENTED, -11, "not implemented")
CN_NET_ERROR(INSUFFICIENT_RESOURCES, -12, "insufficient resources")
CN_NET_ERROR(OUT_OF_MEMORY, -13, "out of memory")
CN_NET_ERROR(FILE_READ_FAILED, -14, "file could not be read")
CN_NET_ERROR(FILE_WRITE_FAILED, -15, "file could not be written")
CN_NET_ERROR(SOCKET_NOT_CONNECTED, -16, "socket is not connected")
CN_NET_ERROR(CALLBACK_ABORTED, -20, "a callback asked to abort")
CN_NET_ERROR(WRITE_CALLBACK_FAILED, -21, "write callback failed")
CN_NET_ERROR(READ_CALLBACK_FAILED, -22, "read callback failed")
CN_NET_ERROR(PAUSED, -23, "transfer paused by a callback")
CN_NET_ERROR(INPUT_TOO_LARGE, -24, "input exceeds a built-in limit")

/* Connection. */
CN_NET_ERROR(CONNECTION_CLOSED, -100, "connection closed")
CN_NET_ERROR(CONNECTION_RESET, -101, "connection reset")
CN_NET_ERROR(CONNECTION_REFUSED, -102, "connection refused")
CN_NET_ERROR(CONNECTION_ABORTED, -103, "connection aborted")
CN_NET_ERROR(CONNECTION_FAILED, -104, "connection failed")
CN_NET_ERROR(NAME_NOT_RESOLVED, -105, "name not resolved")
CN_NET_ERROR(INTERNET_DISCONNECTED, -106, "network is down")
CN_NET_ERROR(SSL_PROTOCOL_ERROR, -107, "TLS protocol error")
CN_NET_ERROR(ADDRESS_INVALID, -108, "address invalid")
CN_NET_ERROR(ADDRESS_UNREACHABLE, -109, "address unreachable")
CN_NET_ERROR(SSL_CLIENT_AUTH_CERT_NEEDED, -110, "server asked for a client certificate")
CN_NET_ERROR(TUNNEL_CONNECTION_FAILED, -111, "proxy tunnel failed")
CN_NET_ERROR(SSL_VERSION_OR_CIPHER_MISMATCH, -113, "TLS version or cipher mismatch")
CN_NET_ERROR(SSL_RENEGOTIATION_REQUESTED, -114, "TLS renegotiation requested")
CN_NET_ERROR(PROXY_AUTH_UNSUPPORTED, -115, "proxy auth unsupported")
CN_NET_ERROR(CONNECTION_TIMED_OUT, -118, "connection timed out")
CN_NET_ERROR(HOST_RESOLVER_QUEUE_TOO_LARGE, -119, "resolver queue too large")
CN_NET_ERROR(SOCKS_CONNECTION_FAILED, -120, "SOCKS connection failed")
CN_NET_ERROR(SOCKS_CONNECTION_HOST_UNREACHABLE, -121, "SOCKS host unreachable")
CN_NET_ERROR(SSL_BAD_RECORD_MAC_ALERT, -126, "TLS bad record MAC")
CN_NET_ERROR(PROXY_AUTH_REQUESTED, -127, "proxy authentication required")
CN_NET_ERROR(PROXY_CONNECTION_FAILED, -130, "proxy connection failed")
/* The proxy answered 407 and closed (or gave no body framing): connect to
 * it again and send the CONNECT with credentials. Never leaves the
 * connect job. */
CN_NET_ERROR(PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION, -136, "proxy auth needs a new connection")
CN_NET_ERROR(PROXY_NAME_NOT_RESOLVED, -137, "proxy name not resolved")
CN_NET_ERROR(SSL_HANDSHAKE_FAILED, -148, "TLS handshake failed")
CN_NET_ERROR(SSL_CERT_PROBLEM, -149, "local client certificate problem")
CN_NET_ERROR(SSL_CIPHER_BAD, -150, "cipher list not usable")
CN_NET_ERROR(SSL_ENGINE_INIT_FAILED, -151, "TLS library could not be set up")
CN_NET_ERROR(SSL_CACERT_BADFILE, -152, "CA certificate file could not be loaded")
CN_NET_ERROR(SSL_PINNED_KEY_MISMATCH, -153, "pinned public key did not match")
/* CURLOPT_ISSUERCERT: unreadable, or not the peer certificate's issuer. */
CN_NET_ERROR(SSL_ISSUER_CHECK_FAILED, -154, "certificate issuer check failed")
CN_NET_ERROR(SOCKET_SEND_FAILED, -160, "send failed")
CN_NET_ERROR(SOCKET_RECV_FAILED, -161, "receive failed")
CN_NET_ERROR(LOCAL_BIND_FAILED, -162, "could not bind local address")

/* Certificate. */
CN_NET_ERROR(CERT_COMMON_NAME_INVALID, -200, "certificate does not match host name")
CN_NET_ERROR(CERT_DATE_INVALID, -201, "certificate expired or not yet valid")
CN_NET_ERROR(CERT_AUTHORITY_INVALID, -202, "certificate issuer not trusted")
CN_NET_ERROR(CERT_INVALID, -207, "certificate invalid")
CN_NET_ERROR(CERT_REVOKED, -206, "certificate revoked")

/* HTTP. */
CN_NET_ERROR(INVALID_URL, -300, "malformed URL")
CN_NET_ERROR(DISALLOWED_URL_SCHEME, -301, "URL scheme not allowed")
CN_NET_ERROR(UNKNOWN_URL_SCHEME, -302, "unsupported URL scheme")
CN_NET_ERROR(INVALID_REDIRECT, -303, "invalid redirect")
CN_NET_ERROR(TOO_MANY_REDIRECTS, -310, "too many redirects")
CN_NET_ERROR(UNSAFE_REDIRECT, -311, "unsafe redirect")
CN_NET_ERROR(INVALID_RESPONSE, -320, "invalid response")
CN_NET_ERROR(INVALID_CHUNKED_ENCODING, -321, "invalid chunked encoding")
CN_NET_ERROR(METHOD_NOT_SUPPORTED, -322, "method not supported")
CN_NET_ERROR(UNEXPECTED_PROXY_AUTH, -323, "unexpected proxy auth")
CN_NET_ERROR(EMPTY_RESPONSE, -324, "empty reply from server")
CN_NET_ERROR(RESPONSE_HEADERS_TOO_BIG, -325, "response headers too big")
CN_NET_ERROR(RESPONSE_HEADER_LINE_TOO_BIG, -326, "response header line too long")
CN_NET_ERROR(CONTENT_DECODING_FAILED, -330, "content decoding failed")
CN_NET_ERROR(CONTENT_LENGTH_MISMATCH, -354, "body shorter than Content-Length")
CN_NET_ERROR(INCOMPLETE_CHUNKED_ENCODING, -355, "chunked body ended early")
CN_NET_ERROR(RESPONSE_BODY_TOO_BIG, -356, "body exceeds the maximum file size")
CN_NET_ERROR(HTTP_RESPONSE_CODE_FAILURE, -379, "HTTP status >= 400 with fail-on-error")
CN_NET_ERROR(INVALID_HTTP_RESPONSE, -370, "malformed HTTP response")
CN_NET_ERROR(UNSUPPORTED_HTTP_VERSION, -371, "unsupported HTTP version in response")
/* A proxy answered CONNECT with lines that are not an HTTP head. libcurl
 * hands them to its header store, which rejects the first one without a
 * colon (CURLE_BAD_FUNCTION_ARGUMENT, "Invalid response header"). */
CN_NET_ERROR(PROXY_INVALID_RESPONSE_HEADER, -372, "proxy answered CONNECT with a line that is no header")
CN_NET_ERROR(HTTP2_PROTOCOL_ERROR, -337, "HTTP/2 protocol error")
CN_NET_ERROR(HTTP2_STREAM_ERROR, -338, "HTTP/2 stream error")
CN_NET_ERROR(HTTP2_SERVER_REFUSED_STREAM, -351, "HTTP/2 server refused the stream (retry elsewhere)")
CN_NET_ERROR(UPLOAD_FILE_CHANGED, -345, "upload could not be rewound")
CN_NET_ERROR(UPLOAD_NOT_POSSIBLE, -346, "body of unknown size over HTTP/1.0")
CN_NET_ERROR(REQUEST_RANGE_NOT_SATISFIABLE, -328, "range not satisfiable")
CN_NET_ERROR(LOGIN_DENIED, -340, "login denied")

/* Content decoding. */
/* A decoder got bytes it cannot take: data after the end of a gzip, deflate
 * or brotli stream (libcurl's CURLE_WRITE_ERROR without a message). */
CN_NET_ERROR(CONTENT_DECODER_WRITE_ERROR, -400, "data after the end of a compressed stream")

/* WebSocket (RFC 6455). */
/* The server broke the framing rules: bad opcode, reserved bits, masked or
 * oversized frames, a continuation without a message (CURLE_RECV_ERROR). */
CN_NET_ERROR(WS_PROTOCOL_ERROR, -600, "WebSocket protocol error")
/* curl_ws_send flags that make no frame (CURLE_BAD_FUNCTION_ARGUMENT). */
CN_NET_ERROR(WS_BAD_FLAGS, -601, "bad WebSocket frame flags")
/* A control frame over 125 bytes (CURLE_TOO_LARGE). */
CN_NET_ERROR(WS_FRAME_TOO_LARGE, -602, "WebSocket control frame too large")
/* A new frame while the last one is not complete (CURLE_SEND_ERROR). */
CN_NET_ERROR(WS_FRAME_INCOMPLETE, -603, "WebSocket frame not complete")
/* The server did not switch protocols (CURLE_HTTP_RETURNED_ERROR). */
CN_NET_ERROR(WS_UPGRADE_REFUSED, -604, "WebSocket upgrade refused")

/* curlium API conditions. */
CN_NET_ERROR(UNSUPPORTED_FEATURE, -700, "feature not built in")
CN_NET_ERROR(BAD_OPTION_VALUE, -701, "bad option value")
/* An option string that does not parse (libcurl's
 * CURLE_SETOPT_OPTION_SYNTAX, e.g. a CURLOPT_CONNECT_TO entry). */
CN_NET_ERROR(OPTION_SYNTAX, -709, "option value has the wrong syntax")

/* DNS. */
CN_NET_ERROR(DNS_MALFORMED_RESPONSE, -800, "DNS response malformed")
CN_NET_ERROR(DNS_SERVER_FAILED, -802, "DNS server failed")
CN_NET_ERROR(DNS_TIMED_OUT, -803, "DNS timed out")
CN_NET_ERROR(DNS_SERVER_REQUIRES_TCP, -801, "DNS server requires TCP")
