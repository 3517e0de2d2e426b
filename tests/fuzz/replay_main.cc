// Replays every file of a corpus directory through LLVMFuzzerTestOneInput, plus a few
// generated edge cases. Built with the regular compiler so CTest keeps the fuzz seeds passing.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  const std::string edge[] = {"", std::string(1, '\0'), "{", "[[[[[[[[[[", std::string(4096, '<'), "\xff\xfe\xfd"};
  for (const auto& e : edge) LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(e.data()), e.size());
  size_t n = 0;
  if (argc > 1 && std::filesystem::is_directory(argv[1])) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++n;
    }
  }
  std::printf("replayed %zu corpus files\n", n);
  return 0;
}
