package inventorum

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/orderkit/orderkit"
)

// decodeError reads both error shapes the API sends: {"detail": ...} and
// {"error": {"fields", "description", "key"}}, such as the basket's 400:
//
//	{"error": {"fields": {"items": ["This field is required."]},
//	           "description": "Serialization error", "key": "common.serializer_error"}}
//
// which becomes an *orderkit.ValidationError: Message is the description,
// Code the key, Fields the messages per field, nested fields joined with
// dots and list positions in brackets ("items[0].price"). It never panics
// and returns nothing for a body it cannot read (an HTML page from a
// proxy).
func decodeError(status int, _ http.Header, body []byte) (string, string, error) {
	var m struct {
		Detail json.RawMessage `json:"detail"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return "", "", nil
	}
	var obj struct {
		Fields      json.RawMessage `json:"fields"`
		Description string          `json:"description"`
		Key         string          `json:"key"`
	}
	if len(m.Error) > 0 && json.Unmarshal(m.Error, &obj) == nil {
		ve := &orderkit.ValidationError{Message: obj.Description, Code: obj.Key, Fields: map[string][]string{}}
		flattenFields(ve.Fields, "", obj.Fields, 0)
		msg := obj.Description
		if msg == "" {
			msg = textOf(m.Detail)
		}
		if status == http.StatusBadRequest || len(ve.Fields) > 0 {
			return msg, obj.Key, ve
		}
		return msg, obj.Key, nil
	}
	if s := textOf(m.Error); s != "" {
		return s, "", nil
	}
	return textOf(m.Detail), "", nil
}

// textOf reads a message that is a string, or anything else as compact JSON.
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if len(raw) > 200 {
		return string(raw[:200]) + "…"
	}
	return string(raw)
}

// flattenFields reads Django-REST-style field errors: a list of strings, a
// string, a nested object, or a list of nested objects (one per item).
func flattenFields(out map[string][]string, prefix string, raw json.RawMessage, depth int) {
	if len(raw) == 0 || depth > 8 {
		return
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		add(out, prefix, s)
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flattenFields(out, key, v, depth+1)
		}
		return
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for i, v := range list {
			var str string
			if json.Unmarshal(v, &str) == nil {
				add(out, prefix, str)
				continue
			}
			flattenFields(out, prefix+"["+strconv.Itoa(i)+"]", v, depth+1)
		}
		return
	}
	add(out, prefix, fmt.Sprint(string(raw)))
}

func add(out map[string][]string, key, msg string) {
	if msg == "" {
		return
	}
	if key == "" {
		key = "base"
	}
	out[key] = append(out[key], msg)
}
