package wire

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Decode decodes the JSON document b into v, a non-nil pointer to a zero
// value, with the result encoding/json.Unmarshal gives.
//
// It first tries a fast path: one validating pass over b that writes the
// fields of v's type directly, from a plan built once per type from the
// same struct tags encoding/json reads. The fast path takes only the
// ordinary case: keys that match a field exactly (or no field at all),
// each key once, and values of the field's own JSON kind. Anything else (a
// key that matches a field only when case is ignored, an escaped key, a
// duplicate key, a number where a string belongs, a leaf's error, invalid
// JSON) sets *v back to zero and hands b to encoding/json, whose result
// and error are then the answer. So Decode never decides differently from
// encoding/json; TestDecodeMatchesEncodingJSON and FuzzDecode hold it to
// that.
//
// Fields whose type implements json.Unmarshaler get their raw value, as
// from encoding/json; maps, interfaces, fixed arrays, []byte and types
// that only implement encoding.TextUnmarshaler are decoded by
// encoding/json from their raw value.
func Decode(b []byte, v any) error {
	if err := decodeFast(b, v); err != nil {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv.Elem().SetZero()
		}
		return json.Unmarshal(b, v)
	}
	return nil
}

// errSlow sends a document to encoding/json. It is never returned to a
// caller of Decode.
var errSlow = errors.New("wire: not on the fast path")

// decodeFast is the fast path alone: nil when it decoded b into v, errSlow
// when encoding/json must decide.
func decodeFast(b []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errSlow
	}
	p := planOf(rv.Type().Elem())
	d := decoder{b: b}
	d.space()
	if err := d.value(p, rv.UnsafePointer()); err != nil {
		return errSlow
	}
	d.space()
	if d.i != len(d.b) {
		return errSlow
	}
	return nil
}

type planKind uint8

const (
	kindSlow        planKind = iota // encoding/json decodes the raw value
	kindUnmarshaler                 // the type's own UnmarshalJSON
	kindStruct
	kindPointer
	kindSlice
	kindString
	kindBool
	kindInt
	kindUint
	kindFloat
)

// plan says how to decode a value of one type.
type plan struct {
	kind planKind
	typ  reflect.Type
	// elem is the plan of a pointer's or slice's element; size is the
	// element's size.
	elem *plan
	size uintptr
	// bits is the width of an int, uint or float.
	bits int
	// fields are a struct's fields by JSON name; folded holds the names in
	// lower case, to tell a key that encoding/json would match only when
	// case is ignored.
	fields map[string]int
	list   []field
	folded []string
	// next guesses, for each field, the field whose key follows it: the
	// one that followed it last time (an API sends its keys in one order).
	// first is the guess for an object's first key. A guess is checked
	// against the key, so a wrong one costs only the map lookup it would
	// have saved.
	next  []atomic.Int32
	first atomic.Int32
}

type field struct {
	name   string
	offset uintptr
	plan   *plan
}

// maxFields bounds the fields of a struct on the fast path: the set of
// keys seen in one object is a bitmap of this size.
const maxFields = 128

var (
	plans           sync.Map // reflect.Type → *plan
	planMu          sync.Mutex
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
)

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	planMu.Lock()
	defer planMu.Unlock()
	building := map[reflect.Type]*plan{}
	p := build(t, building)
	for t, p := range building {
		plans.LoadOrStore(t, p)
	}
	return p
}

// build makes t's plan; building holds the plans under construction, so
// that a type that contains itself gets the one plan.
func build(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &plan{typ: t}
	building[t] = p
	if t.Kind() != reflect.Pointer {
		pt := reflect.PointerTo(t)
		switch {
		case pt.Implements(unmarshalerType):
			p.kind = kindUnmarshaler
			return p
		case pt.Implements(textType), t == numberType:
			// UnmarshalText for strings only, and json.Number's checks:
			// encoding/json's.
			return p
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer || t.Elem().Kind() == reflect.Interface {
			return p
		}
		p.kind, p.elem = kindPointer, build(t.Elem(), building)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return p // base64 for []byte
		}
		p.kind, p.elem, p.size = kindSlice, build(t.Elem(), building), t.Elem().Size()
	case reflect.String:
		p.kind = kindString
	case reflect.Bool:
		p.kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind, p.bits = kindInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind, p.bits = kindUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		p.kind, p.bits = kindFloat, t.Bits()
	case reflect.Struct:
		if !buildStruct(p, t, building) {
			p.kind = kindSlow
		}
	}
	return p
}

// candidate is a field as encoding/json's rules for embedded structs see
// it, before conflicts are settled.
type candidate struct {
	name   string
	tagged bool
	depth  int
	offset uintptr
	typ    reflect.Type
}

// buildStruct lists t's fields under encoding/json's rules: exported fields
// with their tag's name, the fields of embedded structs promoted, and of
// several fields with one name the shallowest, or the one tagged at that
// depth, or none. It reports false for what the fast path leaves alone:
// embedded pointers, ",string" fields, too many fields.
func buildStruct(p *plan, t reflect.Type, building map[reflect.Type]*plan) bool {
	var cands []candidate
	if !collect(t, 0, 0, &cands, map[reflect.Type]bool{}) {
		return false
	}
	byName := map[string][]candidate{}
	var order []string
	for _, c := range cands {
		if _, ok := byName[c.name]; !ok {
			order = append(order, c.name)
		}
		byName[c.name] = append(byName[c.name], c)
	}
	p.kind = kindStruct
	p.fields = map[string]int{}
	for _, name := range order {
		c, ok := dominant(byName[name])
		if !ok {
			continue
		}
		p.fields[name] = len(p.list)
		p.list = append(p.list, field{name: name, offset: c.offset, plan: build(c.typ, building)})
		p.folded = append(p.folded, strings.ToLower(name))
	}
	p.next = make([]atomic.Int32, len(p.list))
	return len(p.list) <= maxFields
}

func collect(t reflect.Type, depth int, base uintptr, out *[]candidate, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true // encoding/json visits an embedded type once
	}
	seen[t] = true
	defer delete(seen, t)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				if ft.Elem().Kind() == reflect.Struct && name == "" {
					return false // encoding/json allocates embedded pointers
				}
				if !sf.IsExported() {
					continue
				}
			} else if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
			if name == "" && ft.Kind() == reflect.Struct {
				if !collect(ft, depth+1, base+sf.Offset, out, seen) {
					return false
				}
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		if hasOpt(opts, "string") {
			return false
		}
		tagged := name != ""
		if !validTag(name) {
			name, tagged = "", false
		}
		if name == "" {
			name = sf.Name
		}
		*out = append(*out, candidate{name: name, tagged: tagged, depth: depth, offset: base + sf.Offset, typ: sf.Type})
	}
	return true
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// validTag is encoding/json's test of a tag name.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// dominant picks, of the fields sharing a name, the one encoding/json
// keeps: the shallowest, if it is alone at its depth or the only tagged
// one there.
func dominant(cs []candidate) (candidate, bool) {
	min := cs[0].depth
	for _, c := range cs {
		if c.depth < min {
			min = c.depth
		}
	}
	var top []candidate
	for _, c := range cs {
		if c.depth == min {
			top = append(top, c)
		}
	}
	if len(top) == 1 {
		return top[0], true
	}
	var tagged []candidate
	for _, c := range top {
		if c.tagged {
			tagged = append(tagged, c)
		}
	}
	if len(tagged) == 1 {
		return tagged[0], true
	}
	return candidate{}, false
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// decoder walks one document.
type decoder struct {
	b     []byte
	i     int
	depth int
}

func (d *decoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// value decodes the value at d.i into p, a pointer to plan's type.
func (d *decoder) value(pl *plan, p unsafe.Pointer) error {
	if d.i >= len(d.b) {
		return errSlow
	}
	c := d.b[d.i]
	switch pl.kind {
	case kindUnmarshaler:
		start := d.i
		if err := d.skip(); err != nil {
			return err
		}
		u := reflect.NewAt(pl.typ, p).Interface().(json.Unmarshaler)
		if u.UnmarshalJSON(d.b[start:d.i]) != nil {
			return errSlow
		}
		return nil
	case kindStruct:
		if c == 'n' {
			return d.null()
		}
		return d.object(pl, p)
	case kindPointer:
		if c == 'n' {
			if err := d.null(); err != nil {
				return err
			}
			*(*unsafe.Pointer)(p) = nil
			return nil
		}
		ep := *(*unsafe.Pointer)(p)
		if ep == nil {
			ep = reflect.New(pl.elem.typ).UnsafePointer()
			*(*unsafe.Pointer)(p) = ep
		}
		return d.value(pl.elem, ep)
	case kindSlice:
		if c == 'n' {
			if err := d.null(); err != nil {
				return err
			}
			reflect.NewAt(pl.typ, p).Elem().SetZero()
			return nil
		}
		return d.array(pl, p)
	case kindString:
		switch c {
		case 'n':
			return d.null()
		case '"':
			s, err := d.str()
			if err != nil {
				return err
			}
			*(*string)(p) = s
			return nil
		}
		return errSlow
	case kindBool:
		switch {
		case c == 'n':
			return d.null()
		case d.literal("true"):
			*(*bool)(p) = true
			return nil
		case d.literal("false"):
			*(*bool)(p) = false
			return nil
		}
		return errSlow
	case kindInt, kindUint, kindFloat:
		if c == 'n' {
			return d.null()
		}
		return d.number(pl, p)
	}
	// kindSlow: encoding/json decodes the raw value in place.
	start := d.i
	if err := d.skip(); err != nil {
		return err
	}
	if json.Unmarshal(d.b[start:d.i], reflect.NewAt(pl.typ, p).Interface()) != nil {
		return errSlow
	}
	return nil
}

func (d *decoder) literal(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

func (d *decoder) null() error {
	if d.literal("null") {
		return nil
	}
	return errSlow
}

// object decodes a JSON object into the struct at p.
func (d *decoder) object(pl *plan, p unsafe.Pointer) error {
	if d.b[d.i] != '{' {
		return errSlow
	}
	var seen [maxFields / 64]uint64
	guess := &pl.first
	return d.members(false, func(key []byte) error {
		n, ok := int(guess.Load()), true
		if n >= len(pl.list) || pl.list[n].name != string(key) {
			if n, ok = pl.fields[string(key)]; ok {
				guess.Store(int32(n))
			}
		}
		if !ok {
			if pl.folds(key) {
				return errSlow
			}
			return d.skip()
		}
		guess = &pl.next[n]
		if seen[n/64]&(1<<(n%64)) != 0 {
			return errSlow // a repeated key
		}
		seen[n/64] |= 1 << (n % 64)
		f := &pl.list[n]
		return d.value(f.plan, unsafe.Add(p, f.offset))
	})
}

// members walks the object at d.i: for each member it reads the key and
// the colon and calls member with the key's bytes between the quotes and
// d.i at the value, which member passes. An escaped key is errSlow unless
// quoted is set: then any valid key is taken and handed over as sent,
// quotes and escapes included (EachMember, and a skipped object, whose
// keys are only checked).
func (d *decoder) members(quoted bool, member func(key []byte) error) error {
	if d.depth++; d.depth > maxDepth {
		return errSlow
	}
	d.i++
	d.space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return errSlow
		}
		var key []byte
		if quoted {
			start := d.i
			if err := d.skipString(); err != nil {
				return err
			}
			key = d.b[start:d.i]
		} else {
			var err error
			if key, err = d.key(); err != nil {
				return err
			}
		}
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return errSlow
		}
		d.i++
		d.space()
		if err := member(key); err != nil {
			return err
		}
		d.space()
		if d.i >= len(d.b) {
			return errSlow
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			d.space()
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return errSlow
		}
	}
}

// folds reports whether encoding/json might match key to a field once
// case is ignored: it does when key equals a field's name in any case,
// and may for a key beyond ASCII (Unicode folding).
func (pl *plan) folds(key []byte) bool {
	for _, c := range key {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	for _, f := range pl.folded {
		if len(f) == len(key) && strings.EqualFold(f, string(key)) {
			return true
		}
	}
	return false
}

// array decodes a JSON array into the slice at p.
func (d *decoder) array(pl *plan, p unsafe.Pointer) error {
	if d.b[d.i] != '[' {
		return errSlow
	}
	sv := reflect.NewAt(pl.typ, p).Elem()
	n := 0
	if err := d.elements(func() error {
		if n == sv.Cap() {
			sv.Grow(1)
		}
		sv.SetLen(n + 1)
		n++
		return d.value(pl.elem, unsafe.Add(sv.UnsafePointer(), uintptr(n-1)*pl.size))
	}); err != nil {
		return err
	}
	if n == 0 {
		sv.Set(reflect.MakeSlice(pl.typ, 0, 0))
	}
	return nil
}

// elements walks the array at d.i, calling element with d.i at each
// value, which element passes.
func (d *decoder) elements(element func() error) error {
	if d.depth++; d.depth > maxDepth {
		return errSlow
	}
	d.i++
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		d.depth--
		return nil
	}
	for {
		if err := element(); err != nil {
			return err
		}
		d.space()
		if d.i >= len(d.b) {
			return errSlow
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			d.space()
		case ']':
			d.i++
			d.depth--
			return nil
		default:
			return errSlow
		}
	}
}

// key reads an object's key at d.i: its bytes between the quotes, when it
// has no escapes (an escaped key goes to encoding/json).
func (d *decoder) key() ([]byte, error) {
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], nil
		case c == '\\' || c < 0x20:
			return nil, errSlow
		}
	}
	return nil, errSlow
}

// str reads the string at d.i. A string with escapes or bytes beyond
// ASCII that are not valid UTF-8 is unquoted by encoding/json, which
// replaces invalid bytes as it does.
func (d *decoder) str() (string, error) {
	start := d.i
	ascii, plain := true, true
	j := start + 1
	for ; j < len(d.b); j++ {
		c := d.b[j]
		if c == '"' {
			break
		}
		switch {
		case c == '\\':
			plain = false
			j++
		case c < 0x20:
			return "", errSlow
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if j >= len(d.b) {
		return "", errSlow
	}
	d.i = j + 1
	inner := d.b[start+1 : j]
	if plain && (ascii || utf8.Valid(inner)) {
		return string(inner), nil
	}
	var s string
	if json.Unmarshal(d.b[start:d.i], &s) != nil {
		return "", errSlow
	}
	return s, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number decodes the number at d.i into an int, uint or float field.
func (d *decoder) number(pl *plan, p unsafe.Pointer) error {
	start := d.i
	if err := d.skipNumber(); err != nil {
		return err
	}
	s := unsafe.String(&d.b[start], d.i-start)
	switch pl.kind {
	case kindInt:
		n, err := strconv.ParseInt(s, 10, pl.bits)
		if err != nil {
			return errSlow
		}
		switch pl.bits {
		case 8:
			*(*int8)(p) = int8(n)
		case 16:
			*(*int16)(p) = int16(n)
		case 32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
	case kindUint:
		n, err := strconv.ParseUint(s, 10, pl.bits)
		if err != nil {
			return errSlow
		}
		switch pl.bits {
		case 8:
			*(*uint8)(p) = uint8(n)
		case 16:
			*(*uint16)(p) = uint16(n)
		case 32:
			*(*uint32)(p) = uint32(n)
		default:
			*(*uint64)(p) = n
		}
	default:
		f, err := strconv.ParseFloat(s, pl.bits)
		if err != nil {
			return errSlow
		}
		if pl.bits == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
	}
	return nil
}

// skipNumber passes a number as JSON's grammar has it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) skipNumber() error {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return errSlow
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSlow
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSlow
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	d.i = i
	return nil
}

// skip passes the value at d.i, checking it as encoding/json's scanner
// does.
func (d *decoder) skip() error {
	if d.i >= len(d.b) {
		return errSlow
	}
	switch c := d.b[d.i]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		return d.members(true, func([]byte) error { return d.skip() })
	case c == '[':
		return d.elements(d.skip)
	case c == 't':
		if d.literal("true") {
			return nil
		}
	case c == 'f':
		if d.literal("false") {
			return nil
		}
	case c == 'n':
		return d.null()
	case c == '-' || '0' <= c && c <= '9':
		return d.skipNumber()
	}
	return errSlow
}

// skipString passes the string at d.i, checking its escapes.
func (d *decoder) skipString() error {
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return nil
		case c == '\\':
			j++
			if j >= len(d.b) {
				return errSlow
			}
			switch d.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if j+k >= len(d.b) || !isHex(d.b[j+k]) {
						return errSlow
					}
				}
				j += 4
			default:
				return errSlow
			}
		case c < 0x20:
			return errSlow
		}
	}
	return errSlow
}

// CheckDecode holds Decode to its promise on one document, for tests and
// fuzz targets: it decodes b into a new value from newV on the fast path
// alone and into another with encoding/json. When the fast path took b,
// encoding/json must have succeeded with a deeply equal value. fast
// reports whether the fast path took b.
func CheckDecode(b []byte, newV func() any) (fast bool, err error) {
	got, want := newV(), newV()
	fastErr := decodeFast(b, got)
	jsonErr := json.Unmarshal(b, want)
	if fastErr != nil {
		return false, nil
	}
	if jsonErr != nil {
		return true, fmt.Errorf("the fast path took %.60q, which encoding/json refuses: %v", b, jsonErr)
	}
	if !reflect.DeepEqual(got, want) {
		return true, fmt.Errorf("the fast path read %.60q as %+v, encoding/json as %+v", b, reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem())
	}
	return true, nil
}
