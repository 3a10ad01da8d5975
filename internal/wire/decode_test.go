package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

type decInner struct {
	A string `json:"a"`
	N int    `json:"n"`
}

type decEmbedded struct {
	E      string `json:"e"`
	Shadow string `json:"shadow"`
}

// DecExported is embedded untagged: its fields are promoted.
type DecExported struct {
	X int `json:"x"`
	Y int
}

// decTextOnly implements only encoding.TextUnmarshaler.
type decTextOnly struct{ V string }

func (t *decTextOnly) UnmarshalText(b []byte) error {
	t.V = "text:" + string(b)
	return nil
}

type decRich struct {
	S     string          `json:"s"`
	B     bool            `json:"b"`
	I     int             `json:"i"`
	I8    int8            `json:"i8"`
	U     uint16          `json:"u"`
	F     float64         `json:"f"`
	F32   float32         // no tag: its Go name
	P     *decInner       `json:"p"`
	PS    *string         `json:"ps"`
	L     []decInner      `json:"l"`
	LP    []*decInner     `json:"lp"`
	LS    []string        `json:"ls"`
	Raw   json.RawMessage `json:"raw"`
	Num   json.Number     `json:"num"`
	M     map[string]int  `json:"m"`
	Any   any             `json:"any"`
	Bytes []byte          `json:"bytes"`
	Arr   [2]int          `json:"arr"`
	T     Time            `json:"t"`
	PT    *Time           `json:"pt"`
	ID    ID              `json:"id"`
	Text  Text            `json:"text"`
	TO    decTextOnly     `json:"to"`
	PTO   *decTextOnly    `json:"pto"`
	Skip  string          `json:"-"`
	//lint:ignore SA5008 a field named "-", as encoding/json reads this tag
	Dash string   `json:"-,"`
	Self *decRich `json:"self"`
	//lint:ignore SA5008 an invalid tag name: encoding/json uses the Go name
	Bad string `json:"bad\\"`
	hid string
	decEmbedded
	DecExported
	Shadow int `json:"shadow"` // shallower than decEmbedded.Shadow: wins
}

// decConflict has two embedded fields of one name at one depth, both
// untagged: encoding/json drops both.
type decConflict struct {
	decConflictA
	decConflictB
	Z string `json:"z"`
}
type decConflictA struct{ Name string }
type decConflictB struct{ Name string }

// decStringOpt uses ",string": the fast path leaves the whole type alone.
type decStringOpt struct {
	N int `json:"n,string"`
}

// decEmbeddedPtr embeds a pointer: the fast path leaves it alone.
type decEmbeddedPtr struct {
	*DecExported
	Z string `json:"z"`
}

func decNew[T any]() func() any { return func() any { return new(T) } }

var decFull = `{"s":"héllo","b":true,"i":-12,"i8":7,"u":65535,"f":1.5e3,"F32":0.25,
 "p":{"a":"x","n":3},"ps":"p","l":[{"a":"1"},{"n":2}],"lp":[null,{"a":"y"}],"ls":["a","b"],
 "raw":{"k":[1,2,{"z":null}]},"num":12.50,"m":{"a":1},"any":[1,"x",null],"bytes":"aGk=",
 "arr":[1,2],"t":"2013-03-19T12 =>39 =>51+01 =>00","pt":"2024-01-02T03:04:05Z","id":953,"text":12345,
 "to":"abc","pto":"def","Skip":"no","-":"dash","self":{"s":"inner","self":null},"Bad":"b",
 "hid":"no","e":"emb","x":1,"Y":2,"shadow":9,"unknown":{"deep":[1,2,3,{"a":"b"}]}}`

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		newV func() any
		fast bool // the fast path must take it
	}{
		{"every kind", decFull, decNew[decRich](), true},
		{"empty object", `{}`, decNew[decRich](), true},
		{"nulls everywhere", `{"s":null,"b":null,"i":null,"p":null,"ps":null,"l":null,"raw":null,"t":null,"pt":null,"self":null,"m":null}`, decNew[decRich](), true},
		{"empty arrays", `{"l":[],"lp":[],"ls":[]}`, decNew[decRich](), true},
		{"whitespace", " \n\t{ \"s\" : \"a\" , \"i\" : 1 } \r\n", decNew[decRich](), true},
		{"top-level array", `[{"a":"1"},{"a":"2","n":5}]`, decNew[[]decInner](), true},
		{"top-level null", `null`, decNew[decRich](), true},
		{"conflict dropped", `{"Name":"x","z":"y"}`, decNew[decConflict](), true},
		{"escaped string value", `{"s":"a\"b\\c\u00e9\n"}`, decNew[decRich](), true},
		{"invalid utf-8 value", "{\"s\":\"a\xffb\"}", decNew[decRich](), true},
		{"unknown key skipped", `{"zzz":[{"a":[]}],"s":"x"}`, decNew[decRich](), true},

		{"key in other case", `{"S":"x"}`, decNew[decRich](), false},
		{"key beyond ascii", `{"ſ":"x"}`, decNew[decRich](), false},
		{"escaped key", `{"\u0073":"x"}`, decNew[decRich](), false},
		{"repeated key", `{"s":"a","s":"b"}`, decNew[decRich](), false},
		{"number for string", `{"s":1}`, decNew[decRich](), false},
		{"string for int", `{"i":"1"}`, decNew[decRich](), false},
		{"float for int", `{"i":1.5}`, decNew[decRich](), false},
		{"overflow", `{"i8":300}`, decNew[decRich](), false},
		{"negative uint", `{"u":-1}`, decNew[decRich](), false},
		{"bool as string", `{"b":"true"}`, decNew[decRich](), false},
		{"leaf refuses", `{"t":"not a time"}`, decNew[decRich](), false},
		{"number as json.Number string", `{"num":"12"}`, decNew[decRich](), true},
		{"bad json.Number string", `{"num":"x"}`, decNew[decRich](), false},
		{"leading zero", `{"i":01}`, decNew[decRich](), false},
		{"trailing comma", `{"s":"a",}`, decNew[decRich](), false},
		{"trailing data", `{"s":"a"} x`, decNew[decRich](), false},
		{"bad escape skipped", `{"zz":"\x"}`, decNew[decRich](), false},
		{"control char", "{\"s\":\"a\x01\"}", decNew[decRich](), false},
		{"truncated", `{"s":"a"`, decNew[decRich](), false},
		{"empty", ``, decNew[decRich](), false},
		{"object for slice", `{"l":{}}`, decNew[decRich](), false},
		{"array for struct", `{"p":[]}`, decNew[decRich](), false},
		// Types the fast path leaves alone are decoded by encoding/json
		// from their raw value, at the top as inside.
		{"string option", `{"n":"5"}`, decNew[decStringOpt](), true},
		{"embedded pointer", `{"x":1,"z":"a"}`, decNew[decEmbeddedPtr](), true},
		{"string option inside", `[{"n":"5"},{"n":"x"}]`, decNew[[]decStringOpt](), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, err := CheckDecode([]byte(c.doc), c.newV)
			if err != nil {
				t.Fatal(err)
			}
			if fast != c.fast {
				t.Fatalf("fast path took it: %v, want %v", fast, c.fast)
			}
			// Decode itself, fast or not, ends as encoding/json does.
			got, want := c.newV(), c.newV()
			gotErr, wantErr := Decode([]byte(c.doc), got), json.Unmarshal([]byte(c.doc), want)
			if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
				t.Fatalf("Decode error %v, encoding/json %v", gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Decode read %+v, encoding/json %+v", got, want)
			}
		})
	}
}

func TestDecodeReadsTheFields(t *testing.T) {
	var r decRich
	if err := decodeFast([]byte(decFull), &r); err != nil {
		t.Fatal(err)
	}
	if r.S != "héllo" || !r.B || r.I != -12 || r.I8 != 7 || r.U != 65535 || r.F != 1500 || r.F32 != 0.25 {
		t.Errorf("scalars: %+v", r)
	}
	if r.P == nil || *r.P != (decInner{A: "x", N: 3}) || r.PS == nil || *r.PS != "p" {
		t.Errorf("pointers: %+v %v", r.P, r.PS)
	}
	if len(r.L) != 2 || r.L[0].A != "1" || r.L[1].N != 2 || len(r.LP) != 2 || r.LP[0] != nil || r.LP[1].A != "y" {
		t.Errorf("slices: %+v %+v", r.L, r.LP)
	}
	if string(r.Raw) != `{"k":[1,2,{"z":null}]}` || r.Num != "12.50" || r.M["a"] != 1 || string(r.Bytes) != "hi" || r.Arr != [2]int{1, 2} {
		t.Errorf("raw, number, map, bytes, array: %s %s %v %q %v", r.Raw, r.Num, r.M, r.Bytes, r.Arr)
	}
	if r.T.Time.IsZero() || r.PT == nil || r.ID != "953" || r.Text != "12345" || r.TO.V != "text:abc" || r.PTO.V != "text:def" {
		t.Errorf("leaves: %+v %v %q %q %+v %+v", r.T, r.PT, r.ID, r.Text, r.TO, r.PTO)
	}
	if r.Skip != "" || r.Dash != "dash" || r.Bad != "b" || r.hid != "" || r.Self == nil || r.Self.S != "inner" || r.Self.Self != nil {
		t.Errorf("tags and self: %+v", r)
	}
	if r.E != "emb" || r.X != 1 || r.Y != 2 || r.Shadow != 9 || r.decEmbedded.Shadow != "" {
		t.Errorf("embedded: %+v %+v shadow %d", r.decEmbedded, r.DecExported, r.Shadow)
	}
}

func TestDecodeDeepNesting(t *testing.T) {
	doc := `{"zz":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`
	var r decRich
	if err, want := Decode([]byte(doc), &r), json.Unmarshal([]byte(doc), new(decRich)); err == nil || err.Error() != want.Error() {
		t.Fatalf("Decode: %v, encoding/json: %v", err, want)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{decFull, `{}`, `[{"a":"1"}]`, `{"l":[{"a":"x"}],"S":1}`, `{"s":"a\u0041"}`, `{"t":null,"pt":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := CheckDecode(b, decNew[decRich]()); err != nil {
			t.Fatal(err)
		}
		if _, err := CheckDecode(b, decNew[[]decInner]()); err != nil {
			t.Fatal(err)
		}
		got, want := new(decRich), new(decRich)
		gotErr, wantErr := Decode(b, got), json.Unmarshal(b, want)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode %v %+v, encoding/json %v %+v", gotErr, got, wantErr, want)
		}
	})
}

// decFresh is decoded only by TestDecodeConcurrentFirstUse, so that its
// plan is built while several goroutines ask for it.
type decFresh struct {
	A    string      `json:"a"`
	Next *decFresh   `json:"next"`
	List []decFresh  `json:"list"`
	In   decInner    `json:"in"`
	Ptrs []*decInner `json:"ptrs"`
}

func TestDecodeConcurrentFirstUse(t *testing.T) {
	docs := []string{
		`{"a":"x","next":{"a":"y","list":[{"a":"z"}]},"in":{"n":1},"ptrs":[null,{"a":"p"}]}`,
		`{"ptrs":[{"n":2}],"in":{"a":"q"},"list":[],"a":"w"}`, // another key order
		`{"A":"folded"}`, // the fallback, at the same time
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				doc := docs[(g+i)%len(docs)]
				var got, want decFresh
				gotErr, wantErr := Decode([]byte(doc), &got), json.Unmarshal([]byte(doc), &want)
				if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
					errs <- fmt.Errorf("%s: Decode %v %+v, encoding/json %v %+v", doc, gotErr, got, wantErr, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDecodeWideStructAndBadTargets(t *testing.T) {
	// A struct of more than maxFields fields is left to encoding/json
	// whole, and still decoded right.
	fields := make([]reflect.StructField, maxFields+1)
	for i := range fields {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[string](), Tag: reflect.StructTag(fmt.Sprintf(`json:"f%d"`, i))}
	}
	wide := reflect.StructOf(fields)
	if p := planOf(wide); p.kind != kindSlow {
		t.Fatalf("a struct of %d fields has plan kind %d, want the slow one", len(fields), p.kind)
	}
	doc := []byte(`{"f0":"a","f128":"z"}`)
	v := reflect.New(wide)
	if err := Decode(doc, v.Interface()); err != nil || v.Elem().Field(0).String() != "a" || v.Elem().Field(maxFields).String() != "z" {
		t.Fatalf("wide struct: %v %+v", err, v.Elem().Interface())
	}
	// What encoding/json refuses as a target, Decode refuses the same way.
	for _, target := range []any{nil, decRich{}, (*decRich)(nil)} {
		got, want := Decode(doc, target), json.Unmarshal(doc, target)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("target %T: Decode %v, encoding/json %v", target, got, want)
		}
	}
}
