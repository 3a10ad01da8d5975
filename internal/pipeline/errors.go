package pipeline

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Sentinels every client re-exports. An *Error wraps the ones that apply, so
// callers branch with errors.Is(err, ErrNotFound) whatever the API.
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
	// no answer arrived. Do not send it again blindly: look the order up
	// first, or send it again only where the API makes that safe.
	ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been carried out")
	// ErrInvalidResponse: an answer arrived but could not be read (not the
	// expected JSON or XML, cut off, empty, or larger than the cap).
	ErrInvalidResponse = errors.New("invalid response")
	// ErrResponseTooLarge: the answer was larger than the response-size cap.
	// It also matches ErrInvalidResponse.
	ErrResponseTooLarge = errors.New("response too large")
	// ErrInvalidArgument: the call was refused before anything was sent.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrRedirectRefused: the API redirected to another host or from https
	// to http, which would carry credentials away; nothing was followed.
	ErrRedirectRefused = errors.New("redirect refused")
)

// Error is what every orderkit client returns when a call fails after it was
// sent: an answer with a 4xx or 5xx status, an answer that could not be read,
// or no answer at all. It never holds a credential: the URL has no query and
// no user info, and the excerpt and message are scrubbed of the client's
// secrets.
type Error struct {
	// API names the client: "attivita", "inventorum", ...
	API string
	// Method and URL of the request. URL carries scheme, host and path only.
	Method string
	URL    string
	// StatusCode is the HTTP status; 0 when no answer arrived.
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
	// Err is the cause: a transport error, a decoding error, or the client's
	// own typed error for the vendor's error code. errors.Is and errors.As
	// reach it.
	Err error

	kinds []error
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
	if e.is(ErrOutcomeUnknown) {
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
	return b.String()
}

// Unwrap gives errors.Is and errors.As the sentinels that apply and the
// cause.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, len(e.kinds)+1)
	out = append(out, e.kinds...)
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// OutcomeUnknown reports whether the request may have been carried out
// although no usable answer arrived.
func (e *Error) OutcomeUnknown() bool {
	return e.is(ErrOutcomeUnknown) || errors.Is(e.Err, ErrOutcomeUnknown)
}

func (e *Error) is(target error) bool {
	for _, k := range e.kinds {
		if k == target {
			return true
		}
	}
	return false
}

func (e *Error) add(kinds ...error) {
	for _, k := range kinds {
		if !e.is(k) {
			e.kinds = append(e.kinds, k)
		}
	}
}

// statusKinds maps a status onto the sentinels it satisfies.
func statusKinds(code int) []error {
	switch {
	case code == http.StatusNotFound:
		return []error{ErrNotFound}
	case code == http.StatusUnauthorized:
		return []error{ErrUnauthorized}
	case code == http.StatusForbidden:
		return []error{ErrForbidden}
	case code == http.StatusConflict:
		return []error{ErrConflict}
	case code == http.StatusTooManyRequests:
		return []error{ErrRateLimited}
	case code >= 500:
		return []error{ErrServer}
	}
	return nil
}

// Invalid returns an error wrapping ErrInvalidArgument for a call refused
// before sending. api names the client ("attivita").
func Invalid(api, format string, args ...any) error {
	return &argError{msg: api + ": " + fmt.Sprintf(format, args...)}
}

type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }
func (e *argError) Unwrap() error { return ErrInvalidArgument }

const excerptLen = 256

// excerpt returns up to excerptLen bytes of body as one printable line,
// with every secret replaced.
func excerpt(body []byte, scrub func(string) string) string {
	if len(body) == 0 {
		return ""
	}
	// Scrub before cutting, so that no prefix of a secret survives the cut.
	text := scrub(string(body))
	var b strings.Builder
	space, cut := false, false
	for _, r := range text {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if b.Len() >= excerptLen {
			cut = true
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if cut {
		b.WriteString("…")
	}
	return b.String()
}

// InvalidResponse builds the *Error a client returns when an answer the
// pipeline accepted turns out unusable on a closer look (a page out of
// order, a count missing). It matches ErrInvalidResponse. res may be nil.
func InvalidResponse(api, method, url string, res *Response, cause error) *Error {
	e := &Error{API: api, Method: method, URL: redactRaw(url), Err: cause}
	if res != nil {
		e.StatusCode, e.Attempts = res.StatusCode, res.Attempts
	}
	e.add(ErrInvalidResponse)
	return e
}

// InvalidAnswer is InvalidResponse for a call of this client: path is
// resolved against the base URL as Do resolves it. Wrap ErrOutcomeUnknown
// in cause when a write may have been carried out.
func (c *Client) InvalidAnswer(method, path string, res *Response, cause error) *Error {
	u, err := c.resolve(path, nil)
	if err != nil {
		u = c.base
	}
	return InvalidResponse(c.cfg.API, method, u.String(), res, cause)
}
