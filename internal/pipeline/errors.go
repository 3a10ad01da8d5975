package pipeline

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/orderkit/orderkit"
)

// The shared sentinels, as the client packages re-export them.
var (
	ErrNotFound         = orderkit.ErrNotFound
	ErrUnauthorized     = orderkit.ErrUnauthorized
	ErrForbidden        = orderkit.ErrForbidden
	ErrConflict         = orderkit.ErrConflict
	ErrRateLimited      = orderkit.ErrRateLimited
	ErrServer           = orderkit.ErrServer
	ErrOutcomeUnknown   = orderkit.ErrOutcomeUnknown
	ErrInvalidResponse  = orderkit.ErrInvalidResponse
	ErrResponseTooLarge = orderkit.ErrResponseTooLarge
	ErrInvalidArgument  = orderkit.ErrInvalidArgument
	ErrRedirectRefused  = orderkit.ErrRedirectRefused
	ErrValidation       = orderkit.ErrValidation
	ErrUnreachable      = orderkit.ErrUnreachable
)

// Error is the one error type of every client.
type Error = orderkit.Error

// addKind adds sentinels to e.Kinds, each once.
func addKind(e *Error, kinds ...error) {
	for _, k := range kinds {
		if k != nil && !hasKind(e, k) {
			e.Kinds = append(e.Kinds, k)
		}
	}
}

func hasKind(e *Error, kind error) bool {
	for _, k := range e.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// statusKinds returns the sentinels an answer's status matches. A 401 or
// 403 is about credentials whatever the body says: never ErrValidation.
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

// Response is the metadata of an answer.
type Response = orderkit.Response

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
		e.StatusCode, e.Attempts, e.RequestID, e.Response = res.StatusCode, res.Attempts, res.RequestID, res
	}
	addKind(e, ErrInvalidResponse)
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
	if res != nil {
		res = scrubHeaders(res, c.scrubber(nil))
	}
	return InvalidResponse(c.cfg.API, method, u.String(), res, cause)
}
