#include "unified_log/formatter.h"

#include <cstdio>
#include <cstring>
#include <ctime>

#include "unified_log/timesync.h"
#include "util/text_util.h"

namespace tediag::unified_log {
namespace {

struct ErrnoText {
  int code;
  std::string_view text;
};
// Darwin's <sys/errno.h> texts (strerror on macOS) for the codes launch failures report.
constexpr ErrnoText kDarwinErrno[] = {
    {1, "Operation not permitted"},
    {2, "No such file or directory"},
    {3, "No such process"},
    {4, "Interrupted system call"},
    {5, "Input/output error"},
    {6, "Device not configured"},
    {7, "Argument list too long"},
    {8, "Exec format error"},
    {9, "Bad file descriptor"},
    {10, "No child processes"},
    {11, "Resource deadlock avoided"},
    {12, "Cannot allocate memory"},
    {13, "Permission denied"},
    {14, "Bad address"},
    {16, "Resource busy"},
    {17, "File exists"},
    {18, "Cross-device link"},
    {19, "Operation not supported by device"},
    {20, "Not a directory"},
    {21, "Is a directory"},
    {22, "Invalid argument"},
    {23, "Too many open files in system"},
    {24, "Too many open files"},
    {25, "Inappropriate ioctl for device"},
    {26, "Text file busy"},
    {27, "File too large"},
    {28, "No space left on device"},
    {29, "Illegal seek"},
    {30, "Read-only file system"},
    {31, "Too many links"},
    {32, "Broken pipe"},
    {33, "Numerical argument out of domain"},
    {34, "Result too large"},
    {35, "Resource temporarily unavailable"},
    {36, "Operation now in progress"},
    {37, "Operation already in progress"},
    {45, "Operation not supported"},
    {48, "Address already in use"},
    {49, "Can't assign requested address"},
    {50, "Network is down"},
    {51, "Network is unreachable"},
    {54, "Connection reset by peer"},
    {57, "Socket is not connected"},
    {60, "Operation timed out"},
    {61, "Connection refused"},
    {62, "Too many levels of symbolic links"},
    {63, "File name too long"},
    {64, "Host is down"},
    {65, "No route to host"},
    {66, "Directory not empty"},
    {69, "Disc quota exceeded"},
    {70, "Stale NFS file handle"},
    {77, "No locks available"},
    {78, "Function not implemented"},
    {79, "Inappropriate file type or format"},
    {80, "Authentication error"},
    {81, "Need authenticator"},
    {85, "Bad executable (or shared library)"},
    {86, "Bad CPU type in executable"},
    {87, "Shared library version mismatch"},
    {88, "Malformed Mach-o file"},
    {89, "Operation canceled"},
    {93, "Attribute not found"},
    {94, "Bad message"},
    {96, "No message available on STREAM"},
    {102, "Operation not supported on socket"},
};

constexpr std::string_view kMissing = "<decode: missing data>";

struct Spec {
  std::string flags;
  int width = -1, precision = -1;
  bool width_star = false, precision_star = false;
  std::string length;
  char conversion = 0;
  std::vector<std::string_view> decorators;  // %{public, bool}: "public", "bool"
  bool Has(std::string_view name) const {
    for (std::string_view d : decorators)
      if (d == name) return true;
    return false;
  }
};

// Parses the specification after '%' at `i`; returns the index after it, or npos when the
// format ends inside it.
size_t ParseSpec(std::string_view f, size_t i, Spec& spec) {
  if (i < f.size() && f[i] == '{') {
    size_t close = f.find('}', i);
    if (close == std::string_view::npos) return std::string_view::npos;
    for (std::string_view d : Split(f.substr(i + 1, close - i - 1), ',')) spec.decorators.push_back(StripWhitespace(d));
    i = close + 1;
  }
  while (i < f.size() && std::strchr("-+ #0'", f[i]) && f[i] != '\0') spec.flags.push_back(f[i++]);
  auto number = [&](int& out, bool& star) {
    if (i < f.size() && f[i] == '*') return star = true, void(++i);
    if (i >= f.size() || !IsAsciiDigit(f[i])) return;
    out = 0;
    while (i < f.size() && IsAsciiDigit(f[i])) out = std::min(out * 10 + (f[i++] - '0'), 4096);
  };
  number(spec.width, spec.width_star);
  if (i < f.size() && f[i] == '.') {
    ++i;
    spec.precision = 0;
    number(spec.precision, spec.precision_star);
  }
  while (i < f.size() && std::strchr("hlqjztL", f[i]) && f[i] != '\0') spec.length.push_back(f[i++]);
  if (i >= f.size()) return std::string_view::npos;
  spec.conversion = f[i];
  return i + 1;
}

int64_t Signed(const Argument& a) {
  switch (a.width) {
    case 1: return static_cast<int8_t>(a.number);
    case 2: return static_cast<int16_t>(a.number);
    case 4: return static_cast<int32_t>(a.number);
    default: return static_cast<int64_t>(a.number);
  }
}

double Floating(const Argument& a) {
  if (a.width == 4) {
    float f;
    uint32_t bits = static_cast<uint32_t>(a.number);
    std::memcpy(&f, &bits, 4);
    return f;
  }
  double d;
  std::memcpy(&d, &a.number, 8);
  return d;
}

void Pad(const Spec& spec, std::string_view text, std::string& out) {
  if (spec.precision >= 0 && static_cast<size_t>(spec.precision) < text.size()) text = text.substr(0, spec.precision);
  size_t width = spec.width > 0 ? static_cast<size_t>(spec.width) : 0;
  bool left = spec.flags.find('-') != std::string::npos;
  if (!left && text.size() < width) out.append(width - text.size(), ' ');
  out.append(text);
  if (left && text.size() < width) out.append(width - text.size(), ' ');
}

// A number through the C library, with the spec's flags, width and precision.
void PrintNumber(const Spec& spec, char conversion, const Argument& a, std::string& out) {
  std::string fmt = "%" + spec.flags;
  if (spec.width >= 0) fmt += std::to_string(spec.width);
  if (spec.precision >= 0) fmt += "." + std::to_string(spec.precision);
  char buffer[512];
  int n = 0;
  if (std::strchr("diD", conversion)) {
    n = std::snprintf(buffer, sizeof buffer, (fmt + "lld").c_str(), static_cast<long long>(Signed(a)));
  } else if (std::strchr("ouxXOU", conversion)) {
    char c = conversion == 'O' ? 'o' : conversion == 'U' ? 'u' : conversion;
    uint64_t v = a.width >= 1 && a.width < 8 ? a.number & ((uint64_t{1} << (8 * a.width)) - 1) : a.number;
    n = std::snprintf(buffer, sizeof buffer, (fmt + "ll" + c).c_str(), static_cast<unsigned long long>(v));
  } else if (std::strchr("feEgGaAF", conversion)) {
    n = std::snprintf(buffer, sizeof buffer, (fmt + conversion).c_str(), Floating(a));
  } else if (conversion == 'p') {
    n = std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(a.number));
  } else if (conversion == 'c' || conversion == 'C') {
    char c = static_cast<char>(a.number);
    return Pad(spec, c == '\0' ? std::string_view() : std::string_view(&c, 1), out);
  }
  if (n > 0) out.append(buffer, std::min<size_t>(static_cast<size_t>(n), sizeof buffer - 1));
}

void Errno(int64_t code, bool bracketed, std::string& out) {
  std::string_view text = DarwinErrnoText(code);
  if (!bracketed) return out.append(text.empty() ? StrCat("Unknown error: ", code) : std::string(text)), void();
  StrAppend(out, "[", code, ": ", text.empty() ? std::string_view("Unknown error") : text, "]");
}

// Decorators that turn a number into words.
bool NumberDecorated(const Spec& spec, const Argument& a, std::string& out) {
  if (spec.Has("bool")) return out.append(a.number ? "true" : "false"), true;
  if (spec.Has("BOOL")) return out.append(a.number ? "YES" : "NO"), true;
  if (spec.Has("errno") || spec.Has("darwin.errno")) return Errno(Signed(a), true, out), true;
  if (spec.Has("time_t")) {
    int64_t nanos = 0;
    // A time no calendar date of the nanosecond clock can hold is printed as the number it is.
    if (__builtin_mul_overflow(Signed(a), int64_t{1'000'000'000}, &nanos)) return StrAppend(out, Signed(a)), true;
    return out.append(FormatTimestamp(nanos).substr(0, 19)), true;  // seconds precision, UTC
  }
  return false;
}

void Binary(const Spec& spec, const Argument& a, std::string& out) {
  if (spec.Has("uuid_t") && a.bytes.size() == 16) {
    Uuid uuid;
    std::memcpy(uuid.data(), a.bytes.data(), 16);
    return out.append(UuidString(uuid)), void();
  }
  std::string_view kind = spec.decorators.empty() ? std::string_view("data") : spec.decorators.back();
  if (kind == "public" || kind == "private") kind = "data";
  StrAppend(out, "<undecoded ", kind, ": ", a.bytes.size(), " bytes>");
}

void Value(const Spec& spec, const Argument& a, std::string& out) {
  using K = Argument::Kind;
  char c = spec.conversion;
  if (a.kind == K::kPrivate && !a.has_bytes) return out.append("<private>"), void();
  if (a.is_null) return Pad(spec, "(null)", out);
  if (a.kind == K::kNumber || a.kind == K::kPrecision) {
    if (NumberDecorated(spec, a, out)) return;
    if (c == 'm') return Errno(Signed(a), false, out);
    if (c == 's' || c == '@' || c == 'S' || c == 'P') return StrAppend(out, "<undecoded ", c, ": a number>"), void();
    return PrintNumber(spec, c, a, out);
  }
  if (!a.has_bytes) return out.append(kMissing), void();
  if (a.kind == K::kBinary || c == 'P') return Binary(spec, a, out);
  if (std::strchr("diuoxXpcDOUfeEgGaAF", c) && a.kind == K::kPrivate) {  // a private number's bytes
    Argument n = a;
    ByteReader r(a.bytes);
    n.width = static_cast<uint8_t>(std::min<size_t>(a.bytes.size(), 8));
    n.number = n.width ? r.UInt(n.width) : 0;
    return PrintNumber(spec, c, n, out);
  }
  Pad(spec, ByteReader::CString(a.bytes, 0), out);
}

}  // namespace

std::string_view DarwinErrnoText(int64_t code) {
  for (const auto& e : kDarwinErrno)
    if (e.code == code) return e.text;
  return {};
}

void FormatMessage(std::string_view f, const std::vector<Argument>& args, std::string& out) {
  size_t next = 0;
  auto take_precision = [&](int& into) {
    if (next < args.size() &&
        (args[next].kind == Argument::Kind::kPrecision || args[next].kind == Argument::Kind::kNumber)) {
      into = static_cast<int>(std::min<int64_t>(std::max<int64_t>(Signed(args[next]), -1), 4096));
      ++next;
    }
  };
  for (size_t i = 0; i < f.size();) {
    size_t percent = f.find('%', i);
    if (percent == std::string_view::npos) {
      out.append(f.substr(i));
      break;
    }
    out.append(f.substr(i, percent - i));
    if (percent + 1 < f.size() && f[percent + 1] == '%') {
      out.push_back('%');
      i = percent + 2;
      continue;
    }
    Spec spec;
    size_t end = ParseSpec(f, percent + 1, spec);
    if (end == std::string_view::npos) {  // a '%' the format ends inside: printed as written
      out.append(f.substr(percent));
      break;
    }
    i = end;
    if (spec.width_star) take_precision(spec.width);
    if (spec.precision_star) take_precision(spec.precision);
    // A precision item may stand before a value whose precision is written in the format.
    while (next < args.size() && args[next].kind == Argument::Kind::kPrecision) ++next;
    if (next >= args.size()) {
      out.append(kMissing);
      continue;
    }
    Value(spec, args[next++], out);
  }
}

void FormatArgumentsOnly(const std::vector<Argument>& args, std::string& out) {
  bool first = true;
  for (const Argument& a : args) {
    if (a.kind == Argument::Kind::kPrecision) continue;
    if (!first) out.append(", ");
    first = false;
    Spec spec;
    spec.conversion = a.kind == Argument::Kind::kNumber ? 'd' : 's';
    Value(spec, a, out);
  }
}

}  // namespace tediag::unified_log
