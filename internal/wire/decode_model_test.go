package wire

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeModel writes random documents for a type from its own field
// plan — mostly well-typed values, with now and then a value of another
// kind, a key in other case, a repeated or unknown key, an escape, odd
// white space — and holds Decode's fast path to encoding/json, the oracle,
// on each. Seeded: a failure names its seed, and
// go test -run 'TestDecodeModel/seed=N$' replays it.
func TestDecodeModel(t *testing.T) {
	types := []struct {
		name string
		newV func() any
	}{
		{"rich", decNew[decRich]()},
		{"list", decNew[[]decInner]()},
		{"conflict", decNew[decConflict]()},
	}
	seeds := 300
	if testing.Short() {
		seeds = 50
	}
	fastTaken := 0
	for seed := 0; seed < seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 12))
			for _, ty := range types {
				g := &docGen{r: r}
				g.value(planOf(reflect.TypeOf(ty.newV()).Elem()), 0)
				doc := g.b.String()
				fast, err := CheckDecode([]byte(doc), ty.newV)
				if err != nil {
					t.Fatalf("%s: %v\ndocument: %s", ty.name, err, doc)
				}
				if fast {
					fastTaken++
				}
			}
		})
	}
	t.Logf("the fast path took %d of %d documents; encoding/json the rest", fastTaken, 3*seeds)
	// The generator must exercise the fast path, not only the fallback.
	if fastTaken < seeds/4 {
		t.Fatalf("the fast path took %d of %d documents", fastTaken, 3*seeds)
	}
}

// docGen writes one random document.
type docGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *docGen) odds(n int) bool { return g.r.IntN(n) == 0 }

func (g *docGen) space() {
	if g.odds(8) {
		g.b.WriteString([]string{" ", "\n", "\t ", "\r\n"}[g.r.IntN(4)])
	}
}

// value writes a value for plan p; now and then one of another kind.
func (g *docGen) value(p *plan, depth int) {
	g.space()
	defer g.space()
	if g.odds(60) || depth > 6 {
		g.anyValue(depth)
		return
	}
	switch p.kind {
	case kindStruct:
		g.object(p, depth)
	case kindPointer:
		if g.odds(4) {
			g.b.WriteString("null")
			return
		}
		g.value(p.elem, depth)
	case kindSlice:
		if g.odds(6) {
			g.b.WriteString("null")
			return
		}
		g.b.WriteByte('[')
		n := g.r.IntN(4)
		for i := 0; i < n; i++ {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.value(p.elem, depth+1)
		}
		g.b.WriteByte(']')
	case kindString:
		g.str()
	case kindBool:
		g.pick([]string{"true", "false", "null"}, []string{`"true"`, "1"})
	case kindInt:
		g.pick([]string{"0", "7", "-0", "null"}, []string{"-3", "255", "300", "65535", "12345678901234567890", "1.5", "01"})
	case kindUint:
		g.pick([]string{"0", "7", "255", "null"}, []string{"-3", "65536", "1e2"})
	case kindFloat:
		g.pick([]string{"0.5", "-1e3", "1E-2", "3", "null"}, []string{"1e40", "1.", "-"})
	case kindUnmarshaler:
		// The leaves: times, ids, text, raw values.
		switch p.typ {
		case reflect.TypeFor[Time]():
			g.pick([]string{`"2024-01-02T03:04:05Z"`, `"2013-03-19T12 =>39 =>51+01 =>00"`, `"2020-02-18 15:48:38"`, "null"}, []string{`"soon"`, "{}"})
		case reflect.TypeFor[ID](), reflect.TypeFor[Text]():
			g.pick([]string{"953", `"abc-1"`, "null", `"007"`}, []string{"[]", "{}"})
		default:
			g.anyValue(depth + 1)
		}
	default:
		// What encoding/json decodes from the raw value.
		switch p.typ.Kind() {
		case reflect.Map:
			g.pick([]string{`{"a":1}`, "{}", "null"}, []string{`{"a":"x"}`, "[]"})
		case reflect.Slice:
			g.pick([]string{`"aGk="`, "null"}, []string{`"!"`})
		case reflect.Array:
			g.pick([]string{"[1,2]", "[]", "[1,2,3]"}, []string{`["x"]`})
		case reflect.Struct:
			g.pick([]string{`"abc"`, "null"}, []string{"1"})
		case reflect.String: // json.Number
			g.pick([]string{"12.50", `"7"`, "-1e3", "null"}, []string{`"x"`, "true"})
		default:
			g.anyValue(depth + 1)
		}
	}
}

func (g *docGen) object(p *plan, depth int) {
	names := make([]string, 0, len(p.fields))
	for name := range p.fields {
		names = append(names, name)
	}
	// Map order is random; sort for a replayable document.
	sortStrings(names)
	g.b.WriteByte('{')
	first := true
	for _, name := range names {
		if !g.odds(2) {
			continue
		}
		key := name
		switch {
		case g.odds(80):
			key = strings.ToUpper(name)
		case g.odds(60):
			key = "unknown_" + name
		}
		g.member(&first, key, func() { g.value(p.list[p.fields[name]].plan, depth+1) })
		if g.odds(150) {
			g.member(&first, name, func() { g.value(p.list[p.fields[name]].plan, depth+1) })
		}
	}
	g.b.WriteByte('}')
}

func (g *docGen) member(first *bool, key string, value func()) {
	if !*first {
		g.b.WriteByte(',')
	}
	*first = false
	g.space()
	if g.odds(200) && key != "" {
		// The key's first letter escaped.
		fmt.Fprintf(&g.b, `"\u%04x%s"`, key[0], key[1:])
	} else {
		fmt.Fprintf(&g.b, "%q", key)
	}
	g.space()
	g.b.WriteByte(':')
	value()
}

// pick writes one of good, or now and then one of bad: a value the
// fast path or JSON itself refuses.
func (g *docGen) pick(good, bad []string) {
	if g.odds(25) {
		g.b.WriteString(bad[g.r.IntN(len(bad))])
		return
	}
	g.b.WriteString(good[g.r.IntN(len(good))])
}

func (g *docGen) str() {
	g.pick([]string{`"plain"`, `""`, `"héllo"`, `"tab\tquote\""`, `"\u00e9\/"`, "\"bad\xff\"", `"12.50"`, "null"}, []string{`"\x"`, "\"ctl\x01\"", "7"})
}

// anyValue writes a value of any kind.
func (g *docGen) anyValue(depth int) {
	switch k := g.r.IntN(7); {
	case k == 0 && depth < 8:
		g.b.WriteString(`{"a":`)
		g.anyValue(depth + 1)
		g.b.WriteString(`,"n":[1,{"z":null}]}`)
	case k == 1 && depth < 8:
		g.b.WriteByte('[')
		g.anyValue(depth + 1)
		g.b.WriteString(`,2]`)
	case k == 2:
		g.str()
	case k == 3:
		g.b.WriteString([]string{"true", "false", "null"}[g.r.IntN(3)])
	default:
		g.pick([]string{"1", "-2.5", "1e3", "0"}, []string{"01", "-", "1.", "+1"})
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
