package preview

import "testing"

func TestMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain & <b>", "plain &amp; &lt;b&gt;"},
		{"**The plan:** text", "<strong>The plan:</strong> text"},
		{"*it* and _it_ and __u__ and ~~s~~", "<em>it</em> and <em>it</em> and <u>u</u> and <s>s</s>"},
		{"a\nb", "a<br>b"},
		{"- one\n- two", "<ul><li>one</li><li>two</li></ul>"},
		{"- one\n  - inner\n- two", "<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>"},
		{"2. second\n3. third", `<ol start="2"><li>second</li><li>third</li></ol>`},
		{"> quoted\n> more\nafter", "<blockquote>quoted<br>more</blockquote>after"},
		{"`**not bold**`", "<code>**not bold**</code>"},
		{"[the article](https://example.com/a_b_c)", `<a href="https://example.com/a_b_c" title="https://example.com/a_b_c">the article</a>`},
		{"see https://example.com/x_y.", `see <a href="https://example.com/x_y">https://example.com/x_y</a>.`},
		{"## Heading", "<h2>Heading</h2>"},
		{"-# small", `<small class="subtext">small</small>`},
		{"```\n<code>\n```", "<pre><code>&lt;code&gt;</code></pre>"},
		{"at <t:0:f>", `at <span class="mention time">January 1, 1970 00:00 UTC</span>`},
		{"in <#123>", `in <span class="mention">#channel-123</span>`},
		{"snake_case_word", "snake_case_word"},
		{"“quote” → /skeptic", "“quote” → /skeptic"},
	}
	for _, tt := range tests {
		if got := string(Markdown(tt.in)); got != tt.want {
			t.Errorf("Markdown(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
