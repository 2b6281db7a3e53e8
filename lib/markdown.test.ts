import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";

describe("renderMarkdown", () => {
  it("renders the markdown product descriptions use", () => {
    const html = renderMarkdown("## Refresh\n\n- **daily** at 02:00 UTC\n- see [docs](https://docs.example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`");
    expect(html).toContain("<h2>Refresh</h2>");
    expect(html).toContain("<strong>daily</strong>");
    expect(html).toContain('<a href="https://docs.example.com" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
    expect(html).toContain("<table>");
    expect(html).toContain("<code>code</code>");
  });

  it("drops scripts, event handlers, styles and iframes", () => {
    const html = renderMarkdown(
      'Hello <script>alert(1)</script><img src="https://x.test/a.png" onerror="alert(2)"><iframe src="https://evil.test"></iframe><p style="color:red" onclick="x()">hi</p>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|<iframe|style=/i);
    expect(html).toContain("hi");
  });

  it("neutralises javascript: and data: links", () => {
    const html = renderMarkdown("[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) <a href=\"JaVaScRiPt:alert(1)\">x</a>");
    expect(html).not.toMatch(/javascript:|data:text/i);
  });

  it("allows images over https only", () => {
    expect(renderMarkdown("![a](http://insecure.test/a.png)")).not.toContain("http://insecure.test");
    expect(renderMarkdown("![a](https://cdn.test/a.png)")).toContain('src="https://cdn.test/a.png"');
  });
});
