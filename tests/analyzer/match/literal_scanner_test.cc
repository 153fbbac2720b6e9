#include "match/literal_scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace tediag {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The literals that occur in `text`, ignoring ASCII case, by plain search.
std::vector<int> Naive(const std::vector<std::string>& literals, const std::string& text) {
  std::vector<int> out;
  std::string lower = Lower(text);
  for (size_t i = 0; i < literals.size(); ++i) {
    if (lower.find(Lower(literals[i])) != std::string::npos) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> Scan(const LiteralScanner& scanner, std::string_view text) {
  std::vector<int> found;
  scanner.Find(text, found);
  std::sort(found.begin(), found.end());
  return found;
}

TEST(LiteralScanner, FindsLiteralsAnywhereInAnyCaseEachOnce) {
  const std::vector<std::string> literals = {"amfi",       "code signature invalid",       "Deny",
                                             "quarantine", "policy disallows prompt for ", "exec"};
  LiteralScanner scanner(literals);
  EXPECT_EQ(Scan(scanner, "AMFI: Code Signature Invalid"), (std::vector<int>{0, 1}));
  EXPECT_EQ(Scan(scanner, "Sandbox: foo(12) deny(1) file-read-data; DENY again"), (std::vector<int>{2}));
  // At the very end, where fewer than eight bytes are left after the start.
  EXPECT_EQ(Scan(scanner, "xx exec"), (std::vector<int>{5}));
  EXPECT_EQ(Scan(scanner, "exec"), (std::vector<int>{5}));
  EXPECT_EQ(Scan(scanner, "... Quarantine"), (std::vector<int>{3}));
  // A literal's first eight bytes are not enough: "policy d" then a difference.
  EXPECT_EQ(Scan(scanner, "policy disallows prompt to kTCC"), (std::vector<int>{}));
  EXPECT_EQ(Scan(scanner, "the policy allows it"), (std::vector<int>{}));
  EXPECT_EQ(Scan(scanner, "quarantin"), (std::vector<int>{}));  // cut one byte short
  EXPECT_EQ(Scan(scanner, ""), (std::vector<int>{}));
  EXPECT_EQ(Scan(scanner, "exe"), (std::vector<int>{}));
}

// Against a plain search on random texts, with literals of 4 to 20 bytes: the same answers. The
// texts are made of random bytes, literals, literals cut short and literals with one byte
// changed, so near misses are common. The alphabet has no byte that `| 0x20` folds onto another,
// so the scanner's answers are exact here.
TEST(LiteralScanner, AgreesWithAPlainSearch) {
  std::mt19937 random(20261128);
  const std::string alphabet = "abAB c:-0";
  auto text_of = [&](size_t length) {
    std::string s;
    for (size_t i = 0; i < length; ++i) s += alphabet[random() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> literals;
    for (int i = 0, n = 1 + static_cast<int>(random() % 40); i < n; ++i) literals.push_back(text_of(4 + random() % 17));
    LiteralScanner scanner(literals);
    for (int t = 0; t < 30; ++t) {
      std::string text;
      for (int piece = 0, pieces = static_cast<int>(random() % 6); piece < pieces; ++piece) {
        std::string literal = literals[random() % literals.size()];
        switch (random() % 4) {
          case 0: text += text_of(random() % 12); break;
          case 1: text += literal; break;
          case 2: text += literal.substr(0, literal.size() - 1); break;
          default: literal[random() % literal.size()] = alphabet[random() % alphabet.size()]; text += literal;
        }
      }
      ASSERT_EQ(Scan(scanner, text), Naive(literals, text)) << "text '" << text << "'";
    }
  }
}

}  // namespace
}  // namespace tediag
