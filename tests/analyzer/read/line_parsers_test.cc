#include "read/line_parsers.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

TEST(DefaultStyle, SplitsColumnsSenderAndSubsystem) {
  Record r;
  ASSERT_TRUE(ParseDefaultStyleLine(
      "2023-03-15 21:41:04.947799+0100 0xeee4bd   Default     0x0                  0      0    kernel: "
      "(AppleMobileFileIntegrity) AMFI: code signature validation failed.",
      r));
  EXPECT_EQ(r.Get(Field::kTimestamp), "2023-03-15 21:41:04.947799+0100");
  EXPECT_EQ(r.Get(Field::kMessageType), "Default");
  EXPECT_EQ(r.Get(Field::kPid), "0");
  EXPECT_EQ(r.Get(Field::kProcess), "kernel");
  EXPECT_EQ(r.Get(Field::kSender), "AppleMobileFileIntegrity");
  EXPECT_EQ(r.Get(Field::kMessage), "AMFI: code signature validation failed.");
}

TEST(DefaultStyle, ReadsSubsystemAndCategory) {
  Record r;
  ASSERT_TRUE(ParseDefaultStyleLine(
      "2023-10-14 17:53:54.688700+0800 0x1e2cd    Error       0x0                  4004   14   ImagePreview: "
      "[com.simon:launch] An error occurred!",
      r));
  EXPECT_EQ(r.Get(Field::kProcess), "ImagePreview");
  EXPECT_EQ(r.Get(Field::kSubsystem), "com.simon");
  EXPECT_EQ(r.Get(Field::kCategory), "launch");
  EXPECT_EQ(r.Get(Field::kMessage), "An error occurred!");
}

TEST(DefaultStyle, RejectsOtherStyles) {
  Record r;
  EXPECT_FALSE(ParseDefaultStyleLine("2022-11-14 13:21:15.341 Df My App[59972:780a15] Hello", r));
  EXPECT_FALSE(ParseDefaultStyleLine(
      "Timestamp                       Thread     Type        Activity             PID    TTL  ", r));
}

TEST(CompactStyle, ProcessNamesMayHaveSpaces) {
  Record r;
  ASSERT_TRUE(ParseCompactStyleLine("2022-11-14 13:21:15.341 Df My App[59972:780a15] (libffi.dylib) Hello World!", r));
  EXPECT_EQ(r.Get(Field::kProcess), "My App");
  EXPECT_EQ(r.Get(Field::kPid), "59972");
  EXPECT_EQ(r.Get(Field::kMessageType), "Df");
  EXPECT_EQ(r.Get(Field::kSender), "libffi.dylib");
  EXPECT_EQ(r.Get(Field::kMessage), "Hello World!");
}

TEST(SyslogStyle, ReadsProcessPidAndSubsystem) {
  Record r;
  ASSERT_TRUE(ParseSyslogStyleLine(
      "2022-08-25 15:22:01.008417+0100  localhost bluetoothd[1766]: [com.apple.bluetooth:HIDProfileDispatch] Ready",
      r));
  EXPECT_EQ(r.Get(Field::kProcess), "bluetoothd");
  EXPECT_EQ(r.Get(Field::kPid), "1766");
  EXPECT_EQ(r.Get(Field::kSubsystem), "com.apple.bluetooth");
  EXPECT_EQ(r.Get(Field::kMessage), "Ready");
}

TEST(LooseLine, ConsoleCopyIsTabSeparated) {
  Record r;
  ParseLooseLine("default\t10:21:02.243864+0100\tkernel\tASP: Security policy would not allow process: 16036, /A", r);
  EXPECT_EQ(r.Get(Field::kProcess), "kernel");
  EXPECT_EQ(r.Get(Field::kTimestamp), "10:21:02.243864+0100");
  EXPECT_EQ(r.Get(Field::kMessage), "ASP: Security policy would not allow process: 16036, /A");
}

TEST(LooseLine, FindsNameAndPidBeforeColon) {
  Record r;
  ParseLooseLine("2/29/16 11:24:10.000 AM kernel[0]: Sandbox: Messenger Helper(7649) deny(1) forbidden-sandbox-reinit",
                 r);
  EXPECT_EQ(r.Get(Field::kProcess), "kernel");
  EXPECT_EQ(r.Get(Field::kPid), "0");
  // The whole line stays the message: rules see everything that was pasted.
  EXPECT_EQ(r.Get(Field::kMessage),
            "2/29/16 11:24:10.000 AM kernel[0]: Sandbox: Messenger Helper(7649) deny(1) forbidden-sandbox-reinit");
}

TEST(LooseLine, TakesOnlyUnixStyleNamesBeforeAColon) {
  Record kernel, prose;
  ParseLooseLine("kernel: CODE SIGNING: cs_invalid_page(0x1): p=1[git]", kernel);
  ParseLooseLine("Thrown: execution error: Not authorized to send Apple events to System Events. (-1743)", prose);
  EXPECT_EQ(kernel.Get(Field::kProcess), "kernel");
  EXPECT_EQ(prose.Get(Field::kProcess), "");
}

TEST(Boilerplate, RecognisesWhatLogPrintsAroundEntries) {
  EXPECT_TRUE(IsLogBoilerplate("Filtering the log data using \"process == \"amfid\"\""));
  EXPECT_TRUE(IsLogBoilerplate("Skipping info and debug messages, pass --info and/or --debug to include."));
  EXPECT_TRUE(
      IsLogBoilerplate("Timestamp                       Thread     Type        Activity             PID    TTL  "));
  EXPECT_TRUE(IsLogBoilerplate("Timestamp               Ty Process[PID:TID]"));
  EXPECT_TRUE(IsLogBoilerplate("Timestamp                       (process)[PID]    "));
  EXPECT_TRUE(
      IsLogBoilerplate("-----------------------------------------------------------------------------------------------"
                       "---------------------"));
  EXPECT_TRUE(
      IsLogBoilerplate("Log      - Default:          0, Info:                0, Debug:             0, Error:          "
                       "4, Fault:          0"));
  EXPECT_TRUE(IsLogBoilerplate("Activity - Create:           0, Transition:          0, Actions:           0"));
  EXPECT_FALSE(IsLogBoilerplate("Timestamp of the failure was noon"));
}

}  // namespace
}  // namespace tediag
