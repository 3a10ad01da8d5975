package adility

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Adility's own refusals, matched with errors.Is on the error a call returns.
var (
	// ErrDuplicateOrderNumber: Place was refused because an order with this
	// order_number already exists. After a retried Place (Attempts > 1 on
	// the *Error) the existing order is most likely the one the first
	// attempt placed; the error then also matches ErrOutcomeUnknown.
	ErrDuplicateOrderNumber = errors.New("order number already used")
	// ErrAlreadyCancelled: Cancel was refused because the order or voucher
	// is already cancelled.
	ErrAlreadyCancelled = errors.New("already cancelled")
)

// APIError is the body of an Adility error answer, read defensively: the
// error format is not published, so JSON and XML bodies of the shapes
// {"error": "..."}, {"error": {"message", "code"}}, {"errors": [...]},
// {"errors": {"field": ["..."]}}, {"message": "..."}, <error>...</error>,
// <errors><error>...</error></errors> and plain text are all read.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Messages are the messages found, in order; Fields holds the ones
	// keyed by attribute ("order_number": ["has already been taken"]).
	Messages []string
	Fields   map[string][]string
	// Code is the machine-readable code, when the body carries one.
	Code string

	kind       errKind
	afterRetry bool
}

type errKind int

const (
	kindOther errKind = iota
	kindDuplicate
	kindAlreadyCancelled
	kindNotFound
)

// Message joins the messages with "; ".
func (e *APIError) Message() string { return strings.Join(e.Messages, "; ") }

// Error names the refusal. The *Error around it already carries the
// status and Adility's message (also in Messages), so they are not repeated.
func (e *APIError) Error() string {
	switch e.kind {
	case kindDuplicate:
		if e.afterRetry {
			return ErrDuplicateOrderNumber.Error() + " (an earlier attempt of this call may have placed the order)"
		}
		return ErrDuplicateOrderNumber.Error()
	case kindAlreadyCancelled:
		return ErrAlreadyCancelled.Error()
	case kindNotFound:
		return ErrNotFound.Error()
	}
	return "API error (status " + strconv.Itoa(e.StatusCode) + ")"
}

// Is matches ErrDuplicateOrderNumber, ErrAlreadyCancelled and, where the
// status did not say so, ErrNotFound; a duplicate after a retry also matches
// ErrOutcomeUnknown.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrDuplicateOrderNumber:
		return e.kind == kindDuplicate
	case ErrAlreadyCancelled:
		return e.kind == kindAlreadyCancelled
	case ErrNotFound:
		return e.kind == kindNotFound
	case ErrOutcomeUnknown:
		return e.kind == kindDuplicate && e.afterRetry
	}
	return false
}

// maxMessages bounds what is collected from a hostile body.
const (
	maxMessages = 20
	maxMsgLen   = 300
	maxDepth    = 8
)

// decodeError is the pipeline.ErrorDecoder for Adility. It never panics and
// always returns an *APIError, so callers can rely on errors.As.
func decodeError(status int, h http.Header, body []byte) (string, string, error) {
	e := &APIError{StatusCode: status}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"':
		var v any
		if json.Unmarshal(trimmed, &v) == nil {
			e.collectJSON("", v, 0)
		}
	case trimmed[0] == '<':
		e.collectXML(trimmed)
	default:
		if ct := h.Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "text/plain") {
			if line, _, _ := strings.Cut(string(trimmed), "\n"); utf8.ValidString(line) {
				e.addMessage("", line)
			}
		}
	}
	e.classify()
	return e.Message(), e.Code, e
}

func (e *APIError) addMessage(field, msg string) {
	msg = strings.TrimSpace(msg)
	if msg == "" || len(e.Messages) >= maxMessages {
		return
	}
	if len(msg) > maxMsgLen {
		msg = strings.ToValidUTF8(msg[:maxMsgLen], "") + "…"
	}
	if field != "" {
		if e.Fields == nil {
			e.Fields = map[string][]string{}
		}
		e.Fields[field] = append(e.Fields[field], msg)
		if !strings.HasPrefix(strings.ToLower(msg), strings.ToLower(field)) {
			msg = field + " " + msg
		}
	}
	e.Messages = append(e.Messages, msg)
}

var messageKeys = []string{"error", "errors", "message", "messages", "error_message", "detail", "description", "reason"}
var codeKeys = []string{"code", "error_code", "errorCode", "type"}

// collectJSON walks a decoded JSON error body. field names the attribute a
// message belongs to, when the body is keyed by attribute.
func (e *APIError) collectJSON(field string, v any, depth int) {
	if depth > maxDepth {
		return
	}
	switch t := v.(type) {
	case string:
		e.addMessage(field, t)
	case float64, bool:
		if field != "" {
			e.addMessage(field, fmt.Sprint(t))
		}
	case []any:
		for _, x := range t {
			e.collectJSON(field, x, depth+1)
		}
	case map[string]any:
		if e.Code == "" {
			for _, k := range codeKeys {
				switch c := t[k].(type) {
				case string:
					e.Code = c
				case float64:
					e.Code = strconv.FormatFloat(c, 'f', -1, 64)
				}
				if e.Code != "" {
					break
				}
			}
		}
		found := false
		for _, k := range messageKeys {
			if x, ok := t[k]; ok && x != nil {
				found = true
				f := field
				if f == "" {
					f = stringField(t)
				}
				e.collectJSON(f, x, depth+1)
			}
		}
		if found {
			return
		}
		// An object without message keys below "errors" is keyed by
		// attribute; at the top only lists of text are taken as such
		// ({"order_number": ["has already been taken"]}).
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if isCodeKey(k) || k == "field" || k == "attribute" {
				continue
			}
			if _, list := t[k].([]any); depth == 0 && !list {
				continue
			}
			e.collectJSON(k, t[k], depth+1)
		}
	}
}

func isCodeKey(k string) bool {
	for _, c := range codeKeys {
		if k == c {
			return true
		}
	}
	return false
}

// stringField reads {"field": "order_number", "message": ...}.
func stringField(m map[string]any) string {
	for _, k := range []string{"field", "attribute", "param"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

// collectXML reads the text of error-ish elements, at any depth, of an XML
// (or HTML) body. It stops at the first syntax error.
func (e *APIError) collectXML(body []byte) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var stack []string
	var text strings.Builder
	leaf := false
	for tokens := 0; tokens < 10000; tokens++ {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, strings.ToLower(t.Name.Local))
			text.Reset()
			leaf = true
		case xml.CharData:
			if text.Len() < 4*maxMsgLen {
				text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if leaf {
				e.xmlLeaf(name, stack, text.String())
			}
			text.Reset()
			leaf = false
		}
	}
}

func (e *APIError) xmlLeaf(name string, parents []string, text string) {
	switch {
	case isCodeKey(name) || name == "code":
		if e.Code == "" {
			e.Code = strings.TrimSpace(text)
		}
		return
	case name == "field" || name == "attribute":
		return
	}
	for _, k := range messageKeys {
		if name == k {
			e.addMessage("", text)
			return
		}
	}
	// <errors><order_number>has already been taken</order_number></errors>
	if len(parents) > 0 && parents[len(parents)-1] == "errors" {
		e.addMessage(name, text)
	}
}

// classify recognises Adility's refusals from the status and the text. The
// error format is unpublished, so the words are matched loosely.
func (e *APIError) classify() {
	text := strings.ToLower(e.Message() + " " + e.Code)
	for f := range e.Fields {
		text += " " + strings.ToLower(f)
	}
	mentionsNumber := strings.Contains(text, "order_number") || strings.Contains(text, "order number") || strings.Contains(text, "ordernumber")
	switch {
	case strings.Contains(text, "already") && strings.Contains(text, "cancel"):
		e.kind = kindAlreadyCancelled
	case mentionsNumber && containsAny(text, "taken", "exist", "unique", "duplicate", "already", "in use", "been used"):
		e.kind = kindDuplicate
	case e.StatusCode != http.StatusNotFound && e.StatusCode >= 400 && e.StatusCode < 500 &&
		containsAny(text, "not found", "couldn't find", "could not find", "does not exist", "not_found"):
		e.kind = kindNotFound
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// apiError returns the *APIError inside err, if any.
func apiError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}
