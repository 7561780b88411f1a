#compdef cutover
# zsh: 'source' this from ~/.zshrc; it loads cutover.bash beside it.
autoload -U +X compinit && compinit -u
autoload -U +X bashcompinit && bashcompinit
source "${${(%):-%x}:A:h}/cutover.bash"
