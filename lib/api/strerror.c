/* strerror.c: the texts of curl_easy_strerror, curl_multi_strerror and
 * curl_share_strerror. Programs and test suites compare them, so they are
 * libcurl 8.14's, word for word. (curl_url_strerror is in urlapi.c.) */
#include <curl/curl.h>

const char *curl_easy_strerror(CURLcode error) {
  switch (error) {
  case CURLE_OK:
    return "No error";
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "Unsupported protocol";
  case CURLE_FAILED_INIT:
    return "Failed initialization";
  case CURLE_URL_MALFORMAT:
    return "URL using bad/illegal format or missing URL";
  case CURLE_NOT_BUILT_IN:
    return "A requested feature, protocol or option was not found built-in"
           " in this libcurl due to a build-time decision.";
  case CURLE_COULDNT_RESOLVE_PROXY:
    return "Could not resolve proxy name";
  case CURLE_COULDNT_RESOLVE_HOST:
    return "Could not resolve hostname";
  case CURLE_COULDNT_CONNECT:
    return "Could not connect to server";
  case CURLE_WEIRD_SERVER_REPLY:
    return "Weird server reply";
  case CURLE_REMOTE_ACCESS_DENIED:
    return "Access denied to remote resource";
  case CURLE_FTP_ACCEPT_FAILED:
    return "FTP: The server failed to connect to data port";
  case CURLE_FTP_ACCEPT_TIMEOUT:
    return "FTP: Accepting server connect has timed out";
  case CURLE_FTP_PRET_FAILED:
    return "FTP: The server did not accept the PRET command.";
  case CURLE_FTP_WEIRD_PASS_REPLY:
    return "FTP: unknown PASS reply";
  case CURLE_FTP_WEIRD_PASV_REPLY:
    return "FTP: unknown PASV reply";
  case CURLE_FTP_WEIRD_227_FORMAT:
    return "FTP: unknown 227 response format";
  case CURLE_FTP_CANT_GET_HOST:
    return "FTP: cannot figure out the host in the PASV response";
  case CURLE_HTTP2:
    return "Error in the HTTP2 framing layer";
  case CURLE_FTP_COULDNT_SET_TYPE:
    return "FTP: could not set file type";
  case CURLE_PARTIAL_FILE:
    return "Transferred a partial file";
  case CURLE_FTP_COULDNT_RETR_FILE:
    return "FTP: could not retrieve (RETR failed) the specified file";
  case CURLE_QUOTE_ERROR:
    return "Quote command returned error";
  case CURLE_HTTP_RETURNED_ERROR:
    return "HTTP response code said error";
  case CURLE_WRITE_ERROR:
    return "Failed writing received data to disk/application";
  case CURLE_UPLOAD_FAILED:
    return "Upload failed (at start/before it took off)";
  case CURLE_READ_ERROR:
    return "Failed to open/read local data from file/application";
  case CURLE_OUT_OF_MEMORY:
    return "Out of memory";
  case CURLE_OPERATION_TIMEDOUT:
    return "Timeout was reached";
  case CURLE_FTP_PORT_FAILED:
    return "FTP: command PORT failed";
  case CURLE_FTP_COULDNT_USE_REST:
    return "FTP: command REST failed";
  case CURLE_RANGE_ERROR:
    return "Requested range was not delivered by the server";
  case CURLE_SSL_CONNECT_ERROR:
    return "SSL connect error";
  case CURLE_BAD_DOWNLOAD_RESUME:
    return "Could not resume download";
  case CURLE_FILE_COULDNT_READ_FILE:
    return "Could not read a file:// file";
  case CURLE_LDAP_CANNOT_BIND:
    return "LDAP: cannot bind";
  case CURLE_LDAP_SEARCH_FAILED:
    return "LDAP: search failed";
  case CURLE_ABORTED_BY_CALLBACK:
    return "Operation was aborted by an application callback";
  case CURLE_BAD_FUNCTION_ARGUMENT:
    return "A libcurl function was given a bad argument";
  case CURLE_INTERFACE_FAILED:
    return "Failed binding local connection end";
  case CURLE_TOO_MANY_REDIRECTS:
    return "Number of redirects hit maximum amount";
  case CURLE_UNKNOWN_OPTION:
    return "An unknown option was passed in to libcurl";
  case CURLE_SETOPT_OPTION_SYNTAX:
    return "Malformed option provided in a setopt";
  case CURLE_GOT_NOTHING:
    return "Server returned nothing (no headers, no data)";
  case CURLE_SSL_ENGINE_NOTFOUND:
    return "SSL crypto engine not found";
  case CURLE_SSL_ENGINE_SETFAILED:
    return "Can not set SSL crypto engine as default";
  case CURLE_SSL_ENGINE_INITFAILED:
    return "Failed to initialise SSL crypto engine";
  case CURLE_SEND_ERROR:
    return "Failed sending data to the peer";
  case CURLE_RECV_ERROR:
    return "Failure when receiving data from the peer";
  case CURLE_SSL_CERTPROBLEM:
    return "Problem with the local SSL certificate";
  case CURLE_SSL_CIPHER:
    return "Could not use specified SSL cipher";
  case CURLE_PEER_FAILED_VERIFICATION:
    return "SSL peer certificate or SSH remote key was not OK";
  case CURLE_SSL_CACERT_BADFILE:
    return "Problem with the SSL CA cert (path? access rights?)";
  case CURLE_BAD_CONTENT_ENCODING:
    return "Unrecognized or bad HTTP Content or Transfer-Encoding";
  case CURLE_FILESIZE_EXCEEDED:
    return "Maximum file size exceeded";
  case CURLE_USE_SSL_FAILED:
    return "Requested SSL level failed";
  case CURLE_SSL_SHUTDOWN_FAILED:
    return "Failed to shut down the SSL connection";
  case CURLE_SSL_CRL_BADFILE:
    return "Failed to load CRL file (path? access rights?, format?)";
  case CURLE_SSL_ISSUER_ERROR:
    return "Issuer check against peer certificate failed";
  case CURLE_SEND_FAIL_REWIND:
    return "Send failed since rewinding of the data stream failed";
  case CURLE_LOGIN_DENIED:
    return "Login denied";
  case CURLE_TFTP_NOTFOUND:
    return "TFTP: File Not Found";
  case CURLE_TFTP_PERM:
    return "TFTP: Access Violation";
  case CURLE_REMOTE_DISK_FULL:
    return "Disk full or allocation exceeded";
  case CURLE_TFTP_ILLEGAL:
    return "TFTP: Illegal operation";
  case CURLE_TFTP_UNKNOWNID:
    return "TFTP: Unknown transfer ID";
  case CURLE_REMOTE_FILE_EXISTS:
    return "Remote file already exists";
  case CURLE_TFTP_NOSUCHUSER:
    return "TFTP: No such user";
  case CURLE_REMOTE_FILE_NOT_FOUND:
    return "Remote file not found";
  case CURLE_SSH:
    return "Error in the SSH layer";
  case CURLE_AGAIN:
    return "Socket not ready for send/recv";
  case CURLE_RTSP_CSEQ_ERROR:
    return "RTSP CSeq mismatch or invalid CSeq";
  case CURLE_RTSP_SESSION_ERROR:
    return "RTSP session error";
  case CURLE_FTP_BAD_FILE_LIST:
    return "Unable to parse FTP file list";
  case CURLE_CHUNK_FAILED:
    return "Chunk callback failed";
  case CURLE_NO_CONNECTION_AVAILABLE:
    return "The max connection limit is reached";
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    return "SSL public key does not match pinned public key";
  case CURLE_SSL_INVALIDCERTSTATUS:
    return "SSL server certificate status verification FAILED";
  case CURLE_HTTP2_STREAM:
    return "Stream error in the HTTP/2 framing layer";
  case CURLE_RECURSIVE_API_CALL:
    return "API function called from within callback";
  case CURLE_AUTH_ERROR:
    return "An authentication function returned an error";
  case CURLE_HTTP3:
    return "HTTP/3 error";
  case CURLE_QUIC_CONNECT_ERROR:
    return "QUIC connection error";
  case CURLE_PROXY:
    return "proxy handshake error";
  case CURLE_SSL_CLIENTCERT:
    return "SSL Client Certificate required";
  case CURLE_UNRECOVERABLE_POLL:
    return "Unrecoverable error in select/poll";
  case CURLE_TOO_LARGE:
    return "A value or data field grew larger than allowed";
  case CURLE_ECH_REQUIRED:
    return "ECH attempted but failed";
  default:
    /* the OBSOLETE codes, CURL_LAST and anything else */
    return "Unknown error";
  }
}

const char *curl_multi_strerror(CURLMcode error) {
  switch (error) {
  case CURLM_CALL_MULTI_PERFORM:
    return "Please call curl_multi_perform() soon";
  case CURLM_OK:
    return "No error";
  case CURLM_BAD_HANDLE:
    return "Invalid multi handle";
  case CURLM_BAD_EASY_HANDLE:
    return "Invalid easy handle";
  case CURLM_OUT_OF_MEMORY:
    return "Out of memory";
  case CURLM_INTERNAL_ERROR:
    return "Internal error";
  case CURLM_BAD_SOCKET:
    return "Invalid socket argument";
  case CURLM_UNKNOWN_OPTION:
    return "Unknown option";
  case CURLM_ADDED_ALREADY:
    return "The easy handle is already added to a multi handle";
  case CURLM_RECURSIVE_API_CALL:
    return "API function called from within callback";
  case CURLM_WAKEUP_FAILURE:
    return "Wakeup is unavailable or failed";
  case CURLM_BAD_FUNCTION_ARGUMENT:
    return "A libcurl function was given a bad argument";
  case CURLM_ABORTED_BY_CALLBACK:
    return "Operation was aborted by an application callback";
  case CURLM_UNRECOVERABLE_POLL:
    return "Unrecoverable error in select/poll";
  default:
    return "Unknown error";
  }
}

const char *curl_share_strerror(CURLSHcode error) {
  switch (error) {
  case CURLSHE_OK:
    return "No error";
  case CURLSHE_BAD_OPTION:
    return "Unknown share option";
  case CURLSHE_IN_USE:
    return "Share currently in use";
  case CURLSHE_INVALID:
    return "Invalid share handle";
  case CURLSHE_NOMEM:
    return "Out of memory";
  case CURLSHE_NOT_BUILT_IN:
    return "Feature not enabled in this library";
  default:
    return "CURLSHcode unknown";
  }
}
