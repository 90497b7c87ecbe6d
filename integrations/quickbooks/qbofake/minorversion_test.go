package qbofake

import (
	"net/http"
	"testing"

	"dealbooks/internal/testkit"
)

// QuickBooks answers a missing minorversion, or one of 1–74, as 75 since 2025-08-01; the log shows
// what was sent and which requests were answered as 75 instead.
func TestMinorVersionIsLoggedAndOldOnesServedAs75(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		query   string
		sent    string
		ignored bool
	}{
		{query: "", sent: "", ignored: true},
		{query: "?minorversion=4", sent: "4", ignored: true},
		{query: "?minorversion=74", sent: "74", ignored: true},
		{query: "?minorversion=abc", sent: "abc", ignored: true},
		{query: "?minorversion=75", sent: "75", ignored: false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h.fake.ResetRequests()
			req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/v3/company/"+h.fake.RealmID()+"/preferences"+tt.query, nil)
			req.Header.Set("Authorization", "Bearer "+h.token)
			req.Header.Set("Accept", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			testkit.Eq(t, "status", resp.StatusCode, http.StatusOK)
			log := h.fake.Requests()
			if len(log) != 1 {
				t.Fatalf("log has %d requests, want 1", len(log))
			}
			testkit.Eq(t, "logged minorversion", log[0].MinorVersion, tt.sent)
			testkit.Eq(t, "served as 75 instead", log[0].MinorVersionIgnored, tt.ignored)
		})
	}
}
