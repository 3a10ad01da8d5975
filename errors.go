package orderkit

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentinels shared by every client. An *Error matches the ones that apply,
// so a caller branches with errors.Is(err, orderkit.ErrNotFound) whatever
// the API.
var (
	// ErrNotFound: the API answered 404.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the API answered 401; the credentials are missing,
	// wrong or expired.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the API answered 403; the account may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the API answered 409.
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: the API answered 429 and retries did not get through.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer: the API (or a proxy in front of it) answered 5xx.
	ErrServer = errors.New("server error")
	// ErrOutcomeUnknown: a request that changes state (a POST that creates an
	// order, spends credit or hands out keys) may have been carried out, but
	// no usable answer arrived. Do not send it again blindly: resolve it
	// first (each client's Resolve methods look the order up), or send it
	// again only where the API makes that safe.
	ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been carried out")
	// ErrInvalidResponse: an answer arrived but could not be read (not the
	// expected JSON or XML, cut off, empty, or larger than the cap), or it
	// contradicts the request (a page out of order, the wrong order).
	ErrInvalidResponse = errors.New("invalid response")
	// ErrResponseTooLarge: the answer was larger than the response-size cap.
	// It also matches ErrInvalidResponse.
	ErrResponseTooLarge = errors.New("response too large")
	// ErrInvalidArgument: the call was refused before anything was sent, or
	// NewClient was given an option it cannot use.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrRedirectRefused: the API redirected to another host or from https
	// to http, which would carry credentials away; nothing was followed.
	ErrRedirectRefused = errors.New("redirect refused")
	// ErrValidation: the API refused the request's content and said which
	// fields are wrong. The detail is a *ValidationError.
	ErrValidation = errors.New("validation failed")
	// ErrUnreachable: the request never reached the API — the connection
	// was refused, the host name did not resolve, the TLS handshake failed,
	// or the connection broke before any byte of the request was written.
	// Nothing was carried out, so even a create may be sent again. It
	// matches alongside the *Error that says what failed.
	ErrUnreachable = errors.New("unreachable: the request never reached the API")
)

// Error is what every orderkit client returns when a call fails after it was
// sent: an answer with a 4xx or 5xx status, an answer that could not be read,
// or no answer at all.
//
// It never holds a credential: URL has no query and no user info, and Body,
// Message and Code are scrubbed of the client's secrets before anything
// reads them.
//
//	var e *orderkit.Error
//	if errors.As(err, &e) {
//		log.Printf("status %d, request id %s, after %d attempts", e.StatusCode, e.RequestID, e.Attempts)
//	}
type Error struct {
	// API names the client: "attivita", "inventorum", "versacommerce",
	// "adility".
	API string
	// Method and URL of the request. URL carries scheme, host and path only.
	Method string
	URL    string
	// StatusCode is the HTTP status of the last answer; 0 when no answer
	// arrived.
	StatusCode int
	// Message and Code are what the vendor's error body says, when it says.
	Message string
	Code    string
	// Body is a short excerpt of the answer, for logs and support tickets.
	Body string
	// RetryAfter is the wait the server asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Attempts counts the requests sent, retries included.
	Attempts int
	// RequestID is the vendor's id for the last answer (Inventorum's x-rid,
	// X-Request-Id, ...), for a support ticket; empty when none was sent.
	RequestID string
	// Response is the metadata of the last answer (status, headers, request
	// id, rate information); nil when no answer arrived.
	Response *Response
	// Kinds are the sentinels this error matches besides its cause:
	// ErrNotFound for a 404, ErrOutcomeUnknown when a write may have been
	// carried out, and so on. errors.Is reads them; a test that builds an
	// Error sets them to the sentinels its code should branch on.
	Kinds []error
	// Err is the cause: a transport error, a decoding error, or the client's
	// own typed error for the vendor's error code (*ValidationError,
	// *APIError, ...). errors.Is and errors.As reach it.
	Err error
}

// Error says what failed in one line: API, method, URL, status, the
// vendor's message and the cause.
func (e *Error) Error() string {
	var b strings.Builder
	if e.API != "" {
		b.WriteString(e.API)
		b.WriteString(": ")
	}
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	sep := func() { b.WriteString(": ") }
	if e.StatusCode != 0 {
		sep()
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteByte(' ')
			b.WriteString(t)
		}
	}
	if hasKind(e.Kinds, ErrOutcomeUnknown) {
		sep()
		b.WriteString(ErrOutcomeUnknown.Error())
	}
	if e.Message != "" {
		sep()
		b.WriteString(e.Message)
		if e.Code != "" {
			b.WriteString(" (")
			b.WriteString(e.Code)
			b.WriteByte(')')
		}
	} else if e.Code != "" {
		sep()
		b.WriteString(e.Code)
	}
	if e.Err != nil {
		sep()
		b.WriteString(e.Err.Error())
	} else if e.Message == "" && e.Body != "" {
		sep()
		b.WriteString(strconv.Quote(e.Body))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(']')
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As the sentinels in Kinds and the cause.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, len(e.Kinds)+1)
	out = append(out, e.Kinds...)
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// ValidationError is the one shape of "the API refused these fields", in
// every client: Attivita's VALIDATION_ERROR details, Inventorum's basket
// field errors, VersaCommerce's {"errors": {field: [...]}} and Adility's
// field messages. It matches ErrValidation. Reach it from a call's error
// with errors.As.
type ValidationError struct {
	// Message is the API's summary ("Serialization error"), if it sends one.
	Message string
	// Code is the API's error code or key ("VALIDATION_ERROR",
	// "common.serializer_error"), if it sends one.
	Code string
	// Fields maps a field path of the request to the API's messages about
	// it. Nested fields are joined with dots and list positions are in
	// brackets: "products[0].amount", "billing_address.city". Messages that
	// name no field are under "base".
	Fields map[string][]string
}

// Error lists the summary and every field's messages, fields sorted:
// "validation failed: Serialization error: items[0].price: required".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrValidation.Error())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if k != "" && k != "base" {
			b.WriteString(k)
			b.WriteString(": ")
		}
		b.WriteString(strings.Join(e.Fields[k], ", "))
	}
	return b.String()
}

// Unwrap returns ErrValidation.
func (e *ValidationError) Unwrap() error { return ErrValidation }

// Field returns the messages about one field path, joined with "; ".
func (e *ValidationError) Field(path string) string {
	return strings.Join(e.Fields[path], "; ")
}

// APIError is the one shape of a vendor's error answer that has no richer
// type (such as *ValidationError): its status, code and messages. Kind is
// the client's own sentinel for the code (attivita.ErrCreditLimitExceeded,
// adility.ErrDuplicateOrderNumber), so errors.Is matches it.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the vendor's machine-readable code ("CREDIT_LIMIT_EXCEEDED"),
	// when the body carries one.
	Code string
	// Message is the vendor's message, several joined with "; ".
	Message string
	// Messages are the messages found, in order.
	Messages []string
	// Fields holds the messages that name a field
	// ("order_number": ["has already been taken"]).
	Fields map[string][]string
	// Kind is the sentinel this error matches, or nil.
	Kind error
}

// Error returns the vendor's message and code.
func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = strings.Join(e.Messages, "; ")
	}
	if msg == "" && e.Kind != nil {
		msg = e.Kind.Error()
	}
	if msg == "" {
		msg = "API error"
		if e.StatusCode != 0 {
			msg += " " + strconv.Itoa(e.StatusCode)
		}
	}
	if e.Code == "" {
		return msg
	}
	return msg + " (" + e.Code + ")"
}

// Unwrap returns Kind.
func (e *APIError) Unwrap() error { return e.Kind }

func hasKind(kinds []error, kind error) bool {
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}
