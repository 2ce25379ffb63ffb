// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DevOpenToken
/// @notice Stand-in for OPEN on local development chains (anvil) only: the owner can mint at will, so it must
/// never be deployed to a network where the token has value.
contract DevOpenToken is ERC20, Ownable {
    constructor() ERC20("Open Dev Token", "OPEN") Ownable(msg.sender) {}

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
