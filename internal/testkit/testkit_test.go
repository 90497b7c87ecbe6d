package testkit

import (
	"net/http"
	"testing"
)

type invoice struct {
	ID       string `json:"Id"`
	TotalAmt string
}

func TestDecodeWrappedReadsThroughTheEnvelopeOrWithout(t *testing.T) {
	for name, want := range map[string]invoice{
		"wrapped.json": {ID: "130", TotalAmt: "108.00"},
		"bare.json":    {ID: "131", TotalAmt: "54.00"},
	} {
		if got := DecodeWrapped[invoice](t, name, "Invoice"); got != want {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
}

func TestDecodeAndDecKeepTheWrittenFigures(t *testing.T) {
	m := Decode[map[string]map[string]string](t, "wrapped.json")
	if got := Dec(m["Invoice"]["TotalAmt"]); got.String() != "108" || got.StringFixed(2) != "108.00" {
		t.Errorf("TotalAmt = %v", got)
	}
}

func TestCountingServerCountsWhatReachesIt(t *testing.T) {
	srv, requests := CountingServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	for range 2 {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		Eq(t, "status", resp.StatusCode, http.StatusTeapot)
	}
	Eq(t, "requests", requests.Load(), 2)
}
