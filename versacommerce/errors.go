package versacommerce

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/orderkit/orderkit"
)

// fieldMessages lists every field's messages, fields in alphabetical order,
// as the shop words them: "billing_address.city can't be blank; total is
// not a number". Messages under "base" name no field.
func fieldMessages(fields map[string][]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, m := range fields[k] {
			if k == "base" || k == "" {
				parts = append(parts, m)
			} else {
				parts = append(parts, k+" "+m)
			}
		}
	}
	return strings.Join(parts, "; ")
}

// decodeError reads {"errors": {"field": ["msg"]}} and the looser shapes a
// proxy or an older endpoint may send: {"errors": ["msg"]},
// {"errors": "msg"}, {"error": "msg"}. Anything else leaves the message
// empty (the *Error keeps a body excerpt). A 401 or 403 keeps the shop's
// message but never becomes a *ValidationError, whatever its body: the
// credentials or the app's rights are wrong, not the request's fields.
func decodeError(status int, _ http.Header, body []byte) (string, string, error) {
	var env struct {
		Errors json.RawMessage `json:"errors"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil {
		return "", "", nil
	}
	raw := env.Errors
	if len(raw) == 0 || string(raw) == "null" {
		raw = env.Error
	}
	fields := map[string][]string{}
	var byField map[string]json.RawMessage
	var list []json.RawMessage
	var one string
	switch {
	case json.Unmarshal(raw, &byField) == nil && byField != nil:
		for k, v := range byField {
			if msgs := messages(v); len(msgs) > 0 {
				fields[k] = msgs
			}
		}
	case json.Unmarshal(raw, &list) == nil:
		fields["base"] = messages(raw)
	case json.Unmarshal(raw, &one) == nil && one != "":
		return one, "", nil
	}
	if len(fields["base"]) == 0 {
		delete(fields, "base")
	}
	if len(fields) == 0 {
		return "", "", nil
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return fieldMessages(fields), "", nil
	}
	return fieldMessages(fields), "", &orderkit.ValidationError{Fields: fields}
}

// messages reads a message list ["a", "b"], a single "a", or a list holding
// non-strings (kept as their JSON text).
func messages(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		if len(raw) == 0 || string(raw) == "null" {
			return nil
		}
		return []string{string(raw)}
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		if json.Unmarshal(item, &one) == nil {
			out = append(out, one)
		} else {
			out = append(out, string(item))
		}
	}
	return out
}
