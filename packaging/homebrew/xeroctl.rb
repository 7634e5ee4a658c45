# Homebrew formula for xeroctl, rendered for each release by
# packaging/homebrew/render.sh (run by .github/workflows/release.yml, which
# attaches the result to the release as xeroctl.rb and pushes it to the tap).
# The @…@ placeholders are filled from the release's .sha256 files; do not
# edit a rendered copy by hand.
class Xeroctl < Formula
  desc "Command-line client for the Xerotier platform: agents, join keys, exec, approvals"
  homepage "@REPO_URL@"
  version "@VERSION@"
  license "MIT"

  on_macos do
    on_arm do
      url "@REPO_URL@/releases/download/v@VERSION@/xeroctl-v@VERSION@-aarch64-apple-darwin.tar.gz"
      sha256 "@SHA256_aarch64-apple-darwin@"
    end
    on_intel do
      url "@REPO_URL@/releases/download/v@VERSION@/xeroctl-v@VERSION@-x86_64-apple-darwin.tar.gz"
      sha256 "@SHA256_x86_64-apple-darwin@"
    end
  end

  on_linux do
    on_arm do
      url "@REPO_URL@/releases/download/v@VERSION@/xeroctl-v@VERSION@-aarch64-unknown-linux-musl.tar.gz"
      sha256 "@SHA256_aarch64-unknown-linux-musl@"
    end
    on_intel do
      url "@REPO_URL@/releases/download/v@VERSION@/xeroctl-v@VERSION@-x86_64-unknown-linux-musl.tar.gz"
      sha256 "@SHA256_x86_64-unknown-linux-musl@"
    end
  end

  def install
    # The sandbox router ships beside xeroctl: try every command with no account.
    bin.install "xeroctl", "xeroctl-sandbox"
    generate_completions_from_executable(bin/"xeroctl", "completion")
    system bin/"xeroctl", "man", "--dir", man1
  end

  def caveats
    <<~EOS
      Try xeroctl with no account against the bundled sandbox router:
        xeroctl-sandbox --write-context &
        xeroctl --context sandbox agents
    EOS
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/xeroctl --version")
    assert_match version.to_s, shell_output("#{bin}/xeroctl-sandbox --version")
  end
end
