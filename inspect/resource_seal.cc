// The resource-seal check (resource_seal.h).
#include "resource_seal.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include "code_signature.h"
#include "fmt/core.h"
#include "macho.h"
#include "re2/re2.h"

namespace tediag::inspect {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kBundleExtensions[] = {
    ".app",  ".framework",   ".xpc",        ".appex", ".bundle",   ".plugin", ".systemextension",
    ".kext", ".qlgenerator", ".mdimporter", ".saver", ".prefPane", ".driver"};

struct SealRule {
  std::unique_ptr<RE2> pattern;
  bool omit = false, optional = false, nested = false;
  double weight = 1;
};

struct Entry {
  const PlistValue* value;
  bool seen = false;
};

std::vector<SealRule> ReadRules(const PlistValue* rules, SealCheck& check) {
  std::vector<SealRule> out;
  if (rules == nullptr) return out;
  for (const PlistEntry& item : rules->dict) {
    const std::string& regex = item.key;
    const PlistValue& spec = item.value;  // a named reference: older clang cannot capture a structured binding
    SealRule rule;
    RE2::Options options;
    options.set_log_errors(false);
    rule.pattern = std::make_unique<RE2>(regex, options);
    if (!rule.pattern->ok()) {
      check.problems.push_back(fmt::format("seal rule '{}' is not a valid expression", regex));
      continue;
    }
    if (spec.kind == PlistValue::Kind::kDict) {
      auto flag = [&spec](std::string_view k) { return spec.Find(k) != nullptr && spec.Find(k)->IsTrue(); };
      rule.omit = flag("omit");
      rule.optional = flag("optional");
      rule.nested = flag("nested");
      if (const PlistValue* w = spec.Find("weight")) {
        rule.weight = w->kind == PlistValue::Kind::kInteger ? static_cast<double>(w->integer)
                                                            : std::strtod(w->text.c_str(), nullptr);
      }
    } else if (spec.kind == PlistValue::Kind::kBool && !spec.boolean) {
      rule.omit = true;
    }
    out.push_back(std::move(rule));
  }
  return out;
}

const SealRule* BestRule(const std::vector<SealRule>& rules, const std::string& path) {
  const SealRule* best = nullptr;
  for (const SealRule& rule : rules) {
    if ((best == nullptr || rule.weight > best->weight) && RE2::PartialMatch(path, *rule.pattern)) best = &rule;
  }
  return best;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The stored hash of a v1 or v2 entry, preferring SHA-256.
std::optional<std::pair<uint8_t, std::string>> StoredHash(const PlistValue& entry) {
  if (entry.kind == PlistValue::Kind::kData) return std::pair<uint8_t, std::string>{1, entry.text};
  if (const PlistValue* h2 = entry.Find("hash2"); h2 && h2->kind == PlistValue::Kind::kData)
    return std::pair<uint8_t, std::string>{2, h2->text};
  if (const PlistValue* h = entry.Find("hash"); h && h->kind == PlistValue::Kind::kData)
    return std::pair<uint8_t, std::string>{1, h->text};
  return std::nullopt;
}

class SealWalker {
 public:
  SealWalker(const fs::path& content, const std::vector<SealRule>& rules, std::map<std::string, Entry>& entries,
             const CdHashesOf& cdhashes_of, SealCheck& check)
      : content_(content), rules_(rules), entries_(entries), cdhashes_of_(cdhashes_of), check_(check) {}

  void Item(const fs::path& full, const std::string& rel, const fs::file_status& status) {
    const SealRule* rule = BestRule(rules_, rel);
    if (rule == nullptr || rule->omit) return;
    auto it = entries_.find(rel);
    if (it == entries_.end()) {
      check_.differences.push_back({SealDifference::Kind::kAdded, rel, "not in the seal"});
      return;
    }
    it->second.seen = true;
    ++check_.checked;
    const PlistValue& entry = *it->second.value;
    if (fs::is_symlink(status)) return Symlink(full, rel, entry);
    if (rule->nested && entry.Find("cdhash") != nullptr) return Nested(full, rel, entry);
    auto stored = StoredHash(entry);
    auto bytes = ReadFile(full);
    if (!stored || !bytes) {
      check_.differences.push_back(
          {SealDifference::Kind::kModified, rel, bytes ? "no hash in the seal" : "unreadable"});
      return;
    }
    std::vector<uint8_t> actual = Digest(stored->first, AsBytes(*bytes));
    if (AsText(actual) != stored->second)
      check_.differences.push_back({SealDifference::Kind::kModified, rel,
                                    fmt::format("its {} differs", stored->first == 2 ? "SHA-256" : "SHA-1")});
  }

 private:
  void Symlink(const fs::path& full, const std::string& rel, const PlistValue& entry) {
    std::error_code ec;
    fs::path target = fs::read_symlink(full, ec);
    const PlistValue* stored = entry.Find("symlink");
    if (stored == nullptr || ec || stored->text != target.string())
      check_.differences.push_back({SealDifference::Kind::kModified, rel,
                                    fmt::format("symbolic link to '{}', sealed as '{}'", target.string(),
                                                stored ? stored->text : std::string("a file"))});
  }
  void Nested(const fs::path& full, const std::string& rel, const PlistValue& entry) {
    std::string want = Hex(AsBytes(entry.Find("cdhash")->text));
    std::vector<std::string> have = cdhashes_of_(full);
    if (std::find(have.begin(), have.end(), want) == have.end())
      check_.differences.push_back({SealDifference::Kind::kModified, rel,
                                    fmt::format("nested code's cdhash is {}, sealed as {}",
                                                have.empty() ? "none (unsigned)" : have.front(), want)});
  }

  const fs::path& content_;
  const std::vector<SealRule>& rules_;
  std::map<std::string, Entry>& entries_;
  const CdHashesOf& cdhashes_of_;
  SealCheck& check_;
};

}  // namespace

bool IsBundleName(const fs::path& name) {
  std::string ext = name.extension().string();
  return std::find(std::begin(kBundleExtensions), std::end(kBundleExtensions), ext) != std::end(kBundleExtensions);
}

SealCheck CheckResourceSeal(const PlistValue& seal, const fs::path& content, const std::vector<std::string>& skip,
                            const CdHashesOf& cdhashes_of) {
  SealCheck check;
  const PlistValue* files = seal.Find("files2");
  const PlistValue* rules = seal.Find("rules2");
  check.version = 2;
  if (files == nullptr || rules == nullptr) {
    files = seal.Find("files"), rules = seal.Find("rules"), check.version = 1;
  }
  if (files == nullptr || files->kind != PlistValue::Kind::kDict) {
    check.version = 0;
    check.problems.push_back("CodeResources has neither files2 nor files");
    return check;
  }
  std::vector<SealRule> seal_rules = ReadRules(rules, check);
  std::map<std::string, Entry> entries;
  for (const auto& [path, value] : files->dict) entries.emplace(path, Entry{&value});
  SealWalker walker(content, seal_rules, entries, cdhashes_of, check);
  std::error_code ec;
  std::set<std::string> skipped(skip.begin(), skip.end());
  for (auto it = fs::recursive_directory_iterator(content, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    // Lexical: fs::relative would resolve a sealed symlink to its target's path.
    std::string rel = it->path().lexically_relative(content).generic_string();
    fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    bool top = rel.find('/') == std::string::npos;
    if (rel == "_CodeSignature" || (top && rel == "CodeResources") || skipped.count(rel)) {
      if (fs::is_directory(status)) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_directory(status)) {
      const SealRule* rule = BestRule(seal_rules, rel);
      if (!IsBundleName(it->path().filename()) || rule == nullptr || !rule->nested) continue;
      it.disable_recursion_pending();
    }
    walker.Item(it->path(), rel, status);
  }
  if (ec) check.problems.push_back(fmt::format("reading {}: {}", content.string(), ec.message()));
  for (const auto& [path, entry] : entries) {
    if (entry.seen) continue;
    const PlistValue* optional = entry.value->Find("optional");
    if (optional != nullptr && optional->IsTrue()) continue;
    check.differences.push_back({SealDifference::Kind::kMissing, path, "sealed but not found"});
  }
  return check;
}

}  // namespace tediag::inspect
