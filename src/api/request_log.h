// The operator log's line for every HTTP request the server answers (event
// `http_request`, docs/logging.md): method, path (never the query string, a
// header or the body), status, milliseconds from routing to the last byte
// sent, client address, bytes sent, and for an error the `kind` of its JSON
// body as `reason`. Also the boundary that turns a handler's exception into a
// logged 500 `{error, kind: "internal"}`.
//
// Thread safety: httplib serves a request on one thread from routing to the
// last byte written, so its start time is kept per thread between
// MarkRequestStart and LogRequest; any number of threads may serve at once.
#pragma once

#include <httplib.h>

#include <exception>

namespace charchive::api {

// Call first thing in the server's pre-routing handler.
void MarkRequestStart();

// For httplib::Server::set_logger: called once a response has been written
// (also for requests httplib refused itself, such as a malformed head).
void LogRequest(const httplib::Request& req, const httplib::Response& res);

// For httplib::Server::set_exception_handler: logs the exception
// (`request_exception`) and answers 500 {error, kind: "internal"}.
void AnswerException(const httplib::Request& req, httplib::Response& res, std::exception_ptr error);

// Installs LogRequest and AnswerException on `server`.
void InstallRequestLog(httplib::Server& server);

}  // namespace charchive::api
