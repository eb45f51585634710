package answer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitStatements(t *testing.T) {
	body := "**The signing:** Putin and Maduro signed it on May 7, 2025. The ceremony was broadcast on Russian state television.\n\n" +
		"**The four pillars:**\n- **Energy** — joint initiatives within OPEC+\n- **Security and defense** — intelligence-sharing\n\n" +
		"**Overstated?** The agreement is touted as a game-changer. Facing U.S. sanctions, it may fail.\n\n" +
		"> “BRICS is the epicenter of global changes.”\n— Nicolás Maduro, at the 2024 BRICS summit in Kazan\n\n" +
		"Maduro declared that “BRICS is the epicenter of global changes.” Putin echoed this.\n\n" +
		"**The doubts:** Its impact may be overstated. → /skeptic\n\n" +
		"**Key elements:** Peskov gave no details (→ /skeptic).\n- **Energy** → /energy\n- **2024** — a disputed election → /context · /reactions\n\n" +
		"**See also:** the Chevron ban → /energy · the leaders’ ideology → /advocacy"
	want := []piece{
		{text: "**The signing:** Putin and Maduro signed it on May 7, 2025.", label: "The signing", inLabel: true},
		{text: "The ceremony was broadcast on Russian state television.", label: "The signing"},
		{text: "**Energy** — joint initiatives within OPEC+", label: "The four pillars"},
		{text: "**Security and defense** — intelligence-sharing", label: "The four pillars"},
		{text: "**Overstated?** The agreement is touted as a game-changer.", label: "Overstated?", inLabel: true},
		{text: "Facing U.S. sanctions, it may fail.", label: "Overstated?"},
		{text: "> “BRICS is the epicenter of global changes.”\n— Nicolás Maduro, at the 2024 BRICS summit in Kazan", quote: true},
		{text: "Maduro declared that “BRICS is the epicenter of global changes.”"},
		{text: "Putin echoed this."},
		{text: "**The doubts:** Its impact may be overstated. → /skeptic", label: "The doubts", inLabel: true},
		{text: "**Key elements:** Peskov gave no details (→ /skeptic).", label: "Key elements", inLabel: true},
		{text: "**2024** — a disputed election → /context · /reactions", label: "Key elements"},
	}
	for i := range want {
		want[i].words = want[i].text
	}
	want[9].words = "**The doubts:** Its impact may be overstated."
	want[10].words = "**Key elements:** Peskov gave no details ."
	want[11].words = "**2024** — a disputed election"
	got := splitStatements(body)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(piece{})); diff != "" {
		t.Errorf("splitStatements (-want +got):\n%s", diff)
	}
}
