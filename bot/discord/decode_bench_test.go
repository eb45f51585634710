package discord

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func BenchmarkDecodeInteraction(b *testing.B) {
	body, _ := os.ReadFile("testdata/http/summary.json")
	b.Run("discordgo", func(b *testing.B) {
		for b.Loop() {
			var i discordgo.Interaction
			if err := json.Unmarshal(body, &i); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-json", func(b *testing.B) {
		for b.Loop() {
			var i discordgo.Interaction
			if err := decodeInteraction(body, &i); err != nil {
				b.Fatal(err)
			}
		}
	})
}
