package fakehttp_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/fakehttp"
)

type req struct {
	Method, Path string
	N            int
}

func TestLog(t *testing.T) {
	var l fakehttp.Log[req]
	assert.Empty(t, l.All())
	assert.Equal(t, 0, l.Count("GET", "/a"))
	l.Add("GET", "/a", req{"GET", "/a", 1})
	l.Add("POST", "/a", req{"POST", "/a", 2})
	l.Add("GET", "/a", req{"GET", "/a", 3})
	l.Add("GET", "/b", req{"GET", "/b", 4})
	assert.Equal(t, 2, l.Count("GET", "/a"))
	assert.Equal(t, 1, l.Count("POST", "/a"))
	assert.Equal(t, 0, l.Count("get", "/a"), "methods are compared exactly")
	all := l.All()
	require.Len(t, all, 4)
	assert.Equal(t, []int{1, 2, 3, 4}, []int{all[0].N, all[1].N, all[2].N, all[3].N})
	all[0].N = 99
	assert.Equal(t, 1, l.All()[0].N, "All returns a copy")
}

func TestLogConcurrent(t *testing.T) {
	var l fakehttp.Log[int]
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				l.Add("GET", "/x", i*100+j)
				_ = l.Count("GET", "/x")
				_ = l.All()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 800, l.Count("GET", "/x"))
}

func TestWriteJSON(t *testing.T) {
	w := httptest.NewRecorder()
	fakehttp.WriteJSON(w, http.StatusCreated, map[string]string{"name": "Office + Antivirus <Bundle> & more"})
	assert.Equal(t, http.StatusCreated, w.Code)
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, `{"name":"Office + Antivirus <Bundle> & more"}`+"\n", w.Body.String())
}
