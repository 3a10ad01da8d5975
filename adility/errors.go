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

	"github.com/orderkit/orderkit"
)

// Adility's own refusals, matched with errors.Is on the error a call returns.
var (
	// ErrDuplicateOrderNumber: Place was refused because an order with this
	// order_number already exists. When the refused Place was a retry or a
	// PlaceAgain of a Place whose answer was lost, the existing order is
	// the one that Place made: the error is then a *PlacedError (or the
	// order is returned, when the refusal names it).
	ErrDuplicateOrderNumber = errors.New("order number already used")
	// ErrAlreadyCancelled: Cancel was refused because the order or voucher
	// is already cancelled.
	ErrAlreadyCancelled = errors.New("already cancelled")
)

// refusal is the typed detail of an error answer: an *orderkit.APIError
// (Kind is ErrDuplicateOrderNumber, ErrAlreadyCancelled,
// orderkit.ErrNotFound or nil) and, when the body names fields, an
// *orderkit.ValidationError, both reachable with errors.As. Adility does not
// publish its error format, so JSON and XML bodies of the shapes
// {"error": "..."}, {"error": {"message", "code"}}, {"errors": [...]},
// {"errors": {"field": ["..."]}}, {"message": "..."}, <error>...</error>,
// <errors><error>...</error></errors> and plain text are all read.
type refusal struct {
	api *orderkit.APIError
	val *orderkit.ValidationError
	// orderID is an order id the body named (an "order_id" member, or an
	// "order" object with an "id"), for a duplicate refusal that points at
	// the existing order.
	orderID ID
}

// Error names the refusal; the *Error around it already says the status
// and Adility's messages.
func (r *refusal) Error() string {
	switch {
	case r.api.Kind != nil:
		return r.api.Kind.Error()
	case r.val != nil:
		return orderkit.ErrValidation.Error()
	}
	return "API error (status " + strconv.Itoa(r.api.StatusCode) + ")"
}

func (r *refusal) Unwrap() []error {
	if r.val != nil {
		return []error{r.api, r.val}
	}
	return []error{r.api}
}

// collector gathers what an error body says.
type collector struct {
	e       *orderkit.APIError
	plain   []string // the messages that name no field
	orderID ID
}

// maxMessages bounds what is collected from a hostile body.
const (
	maxMessages = 20
	maxMsgLen   = 300
	maxDepth    = 8
)

// decodeError is the pipeline.ErrorDecoder for Adility. It never panics and
// always returns an *orderkit.APIError, so callers can rely on errors.As.
func decodeError(status int, h http.Header, body []byte) (string, string, error) {
	c := &collector{e: &orderkit.APIError{StatusCode: status}}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"':
		// Numbers are kept as sent (json.Number): an order id or code
		// beyond 2^53 would not survive a float64.
		var v any
		d := json.NewDecoder(bytes.NewReader(trimmed))
		d.UseNumber()
		if json.Valid(trimmed) && d.Decode(&v) == nil {
			c.collectJSON("", v, 0)
			c.jsonOrderID(v)
		}
	case trimmed[0] == '<':
		c.collectXML(trimmed)
	default:
		if ct := h.Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "text/plain") {
			if line, _, _ := strings.Cut(string(trimmed), "\n"); utf8.ValidString(line) {
				c.addMessage("", line)
			}
		}
	}
	e := c.e
	e.Message = strings.Join(e.Messages, "; ")
	e.Kind = classify(e)
	r := &refusal{api: e, orderID: c.orderID}
	if len(e.Fields) > 0 {
		r.val = &orderkit.ValidationError{Code: e.Code, Fields: e.Fields}
		r.val.Message = strings.Join(c.plain, "; ")
	}
	return e.Message, e.Code, r
}

func (c *collector) addMessage(field, msg string) {
	e := c.e
	msg = strings.TrimSpace(msg)
	if msg == "" || len(e.Messages) >= maxMessages {
		return
	}
	if field == "" {
		c.plain = append(c.plain, msg)
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
func (c *collector) collectJSON(field string, v any, depth int) {
	if depth > maxDepth {
		return
	}
	switch t := v.(type) {
	case string:
		c.addMessage(field, t)
	case json.Number, bool:
		if field != "" {
			c.addMessage(field, fmt.Sprint(t))
		}
	case []any:
		for _, x := range t {
			c.collectJSON(field, x, depth+1)
		}
	case map[string]any:
		if c.e.Code == "" {
			for _, k := range codeKeys {
				switch v := t[k].(type) {
				case string:
					c.e.Code = v
				case json.Number:
					c.e.Code = v.String()
				}
				if c.e.Code != "" {
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
				c.collectJSON(f, x, depth+1)
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
			c.collectJSON(k, t[k], depth+1)
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
func (c *collector) collectXML(body []byte) {
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
				c.xmlLeaf(name, stack, text.String())
			}
			text.Reset()
			leaf = false
		}
	}
}

func (c *collector) xmlLeaf(name string, parents []string, text string) {
	switch {
	case isCodeKey(name) || name == "code":
		if c.e.Code == "" {
			c.e.Code = strings.TrimSpace(text)
		}
		return
	case name == "field" || name == "attribute":
		return
	}
	if name == "order_id" && c.orderID == "" {
		c.orderID = ID(strings.TrimSpace(text))
		return
	}
	for _, k := range messageKeys {
		if name == k {
			c.addMessage("", text)
			return
		}
	}
	// <errors><order_number>has already been taken</order_number></errors>
	if len(parents) > 0 && parents[len(parents)-1] == "errors" {
		c.addMessage(name, text)
	}
}

// classify recognises Adility's refusals from the status and the text. The
// error format is unpublished, so the words are matched loosely.
func classify(e *orderkit.APIError) error {
	text := strings.ToLower(e.Message + " " + e.Code)
	for f := range e.Fields {
		text += " " + strings.ToLower(f)
	}
	mentionsNumber := strings.Contains(text, "order_number") || strings.Contains(text, "order number") || strings.Contains(text, "ordernumber")
	switch {
	case strings.Contains(text, "already") && strings.Contains(text, "cancel"):
		return ErrAlreadyCancelled
	case mentionsNumber && (containsAny(text, "taken", "unique", "duplicate", "already", "in use", "been used") ||
		strings.Contains(text, "exist") && !containsAny(text, "not exist", "n't exist", "no longer exist")):
		// "does not exist" next to an order number is no duplicate:
		// taken for one, PlaceAgain would report an order placed.
		return ErrDuplicateOrderNumber
	case e.StatusCode != http.StatusNotFound && e.StatusCode >= 400 && e.StatusCode < 500 &&
		containsAny(text, "not found", "couldn't find", "could not find", "does not exist", "not_found"):
		return orderkit.ErrNotFound
	}
	return nil
}

// jsonOrderID reads an order id a refusal names: {"order_id": "..."} or
// {"order": {"id": "..."}} at its top level, or the same inside its error
// object or objects — {"error": {"message", "code", "order_id"}},
// {"errors": {..., "order_id"}}, {"errors": [{..., "order_id"}]}. The
// first found is taken; Resolve and PlaceAgain check the order number of
// the order it leads to.
func (c *collector) jsonOrderID(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if id := namedOrder(m); id != "" {
		c.orderID = id
		return
	}
	for _, k := range []string{"error", "errors"} {
		switch t := m[k].(type) {
		case map[string]any:
			if id := namedOrder(t); id != "" {
				c.orderID = id
				return
			}
		case []any:
			for _, x := range t {
				if o, ok := x.(map[string]any); ok {
					if id := namedOrder(o); id != "" {
						c.orderID = id
						return
					}
				}
			}
		}
	}
}

// namedOrder reads "order_id" or "order": {"id"} of one object.
func namedOrder(m map[string]any) ID {
	text := func(x any) string {
		switch t := x.(type) {
		case string:
			return strings.TrimSpace(t)
		case json.Number:
			return t.String()
		}
		return ""
	}
	if id := text(m["order_id"]); id != "" {
		return ID(id)
	}
	if o, ok := m["order"].(map[string]any); ok {
		return ID(text(o["id"]))
	}
	return ""
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// refusalOf returns the typed detail of an error answer inside err.
func refusalOf(err error) *refusal {
	var r *refusal
	if errors.As(err, &r) {
		return r
	}
	return nil
}
