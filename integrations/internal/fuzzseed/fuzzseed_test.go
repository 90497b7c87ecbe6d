package fuzzseed

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSplitKeepsEachPartInPlace(t *testing.T) {
	long := strings.Repeat("x", 200)
	doc := `{"QueryResponse":{"Customer":[{"Id":"58","DisplayName":"` + long + `","Balance":1.10}],"startPosition":1}}`
	seeds := Split([]byte(doc))
	want := map[string]bool{
		`{"QueryResponse":{"Customer":[{"Id":"58"}]}}`:                    true,
		`{"QueryResponse":{"Customer":[{"DisplayName":"` + long + `"}]}}`: true,
		`{"QueryResponse":{"Customer":[{"Balance":1.10}]}}`:               true,
		`{"QueryResponse":{"startPosition":1}}`:                           true,
	}
	if len(seeds) != len(want) {
		t.Errorf("got %d seeds, want %d: %s", len(seeds), len(want), seeds)
	}
	for _, s := range seeds {
		if !want[string(s)] {
			t.Errorf("unexpected seed %s", s)
		}
		if len(s) > MaxSeed || !json.Valid(s) {
			t.Errorf("seed %s is too long or not JSON", s)
		}
	}
}

func TestSplitLeavesShortDocumentsWhole(t *testing.T) {
	seeds := Split([]byte(`{"Fault": {"Error": [{"code": "610"}]}}`))
	if len(seeds) != 1 || string(seeds[0]) != `{"Fault":{"Error":[{"code":"610"}]}}` {
		t.Errorf("Split = %s", seeds)
	}
}

func TestSpreadTakesEvenlySpacedSeeds(t *testing.T) {
	seeds := [][]byte{[]byte("0"), []byte("1"), []byte("2"), []byte("3"), []byte("4"), []byte("5"), []byte("6"), []byte("7")}
	got := spread(seeds, 4)
	if len(got) != 4 || string(got[0]) != "0" || string(got[1]) != "2" || string(got[3]) != "6" {
		t.Errorf("spread = %s", got)
	}
	if len(spread(seeds[:3], 4)) != 3 {
		t.Error("spread dropped seeds when there were few")
	}
}
