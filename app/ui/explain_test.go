package ui

import (
	"fmt"
	"strings"
	"testing"

	"dealbooks/app/invoicing"
)

// The advice fits what happened: a voided invoice is not to be corrected,
// a missing deal is named rather than "refreshed".
func TestExplainSaysWhatHappenedAndWhatToDo(t *testing.T) {
	tests := []struct {
		err     error
		want    string
		notWant string
	}{
		{fmt.Errorf("void: %w", invoicing.ErrAlreadyVoided), "already voided", "Correct"},
		{fmt.Errorf("read: %w", &invoicing.NotFoundError{Kind: "deal", ID: "77"}), "no longer has deal 77", "Refresh"},
	}
	for _, tt := range tests {
		got := explain(tt.err)
		if !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
			t.Errorf("explain(%v) = %q, want %q and not %q", tt.err, got, tt.want, tt.notWant)
		}
	}
}
