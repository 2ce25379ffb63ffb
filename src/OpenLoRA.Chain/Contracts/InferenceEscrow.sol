// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title InferenceEscrow
/// @notice Users deposit OPEN ahead of inference; the operator settles each epoch's charges in one transaction
/// that moves exactly as much from user balances as it credits to payees (publishers, data contributors, the
/// protocol). Payees withdraw earnings at once. Users withdraw in two steps with a delay, and the requested
/// amount stays settleable until it leaves, so a user cannot run up charges and pull the deposit before the
/// operator settles them.
contract InferenceEscrow is ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct PendingWithdrawal {
        uint256 amount;
        uint64 availableAt;
    }

    error NotOperator(address account);
    error ZeroAddress();
    error ZeroAmount();
    error UnexpectedEpoch(uint64 expected, uint64 provided);
    error LengthMismatch();
    error UnbalancedSettlement(uint256 totalDebits, uint256 totalCredits);
    error InsufficientBalance(address account, uint256 balance, uint256 required);
    error NoPendingWithdrawal(address account);
    error WithdrawalNotReady(address account, uint64 availableAt);
    error NothingToWithdraw(address account);

    event Deposited(address indexed account, uint256 amount, uint256 balance);
    event Debited(uint64 indexed epoch, address indexed account, uint256 amount);
    event Credited(uint64 indexed epoch, address indexed payee, uint256 amount);
    event EpochSettled(
        uint64 indexed epoch, uint256 total, uint32 debitCount, uint32 creditCount, bytes32 manifestHash
    );
    event WithdrawalRequested(address indexed account, uint256 amount, uint64 availableAt);
    event Withdrawn(address indexed account, uint256 amount);
    event EarningsWithdrawn(address indexed payee, uint256 amount);

    IERC20 public immutable token;
    address public immutable operator;
    uint64 public immutable withdrawalDelay;

    mapping(address => uint256) private _balances;
    mapping(address => uint256) private _earnings;
    mapping(address => PendingWithdrawal) private _pending;
    uint64 private _nextEpoch;

    constructor(IERC20 token_, address operator_, uint64 withdrawalDelay_) {
        if (address(token_) == address(0) || operator_ == address(0)) revert ZeroAddress();
        token = token_;
        operator = operator_;
        withdrawalDelay = withdrawalDelay_;
    }

    /// @notice Moves `amount` from the caller (who approved it first) into the caller's escrow balance.
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 balance = _balances[msg.sender] + amount;
        _balances[msg.sender] = balance;
        emit Deposited(msg.sender, amount, balance);
    }

    /// @notice Settles epoch `epoch` (must equal nextEpoch()): debits users, credits payees, both sums equal.
    function settleEpoch(
        uint64 epoch,
        address[] calldata debitAccounts,
        uint256[] calldata debits,
        address[] calldata payees,
        uint256[] calldata credits,
        bytes32 manifestHash
    ) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        uint64 expected = _nextEpoch;
        if (epoch != expected) revert UnexpectedEpoch(expected, epoch);
        if (debitAccounts.length != debits.length || payees.length != credits.length) revert LengthMismatch();

        uint256 totalDebits = _debit(epoch, debitAccounts, debits);
        uint256 totalCredits = _credit(epoch, payees, credits);
        if (totalDebits != totalCredits) revert UnbalancedSettlement(totalDebits, totalCredits);
        _nextEpoch = expected + 1;
        emit EpochSettled(epoch, totalDebits, uint32(debitAccounts.length), uint32(payees.length), manifestHash);
    }

    // The debit and credit loops live in their own functions to keep settleEpoch under the EVM's 16-slot stack
    // limit without turning on via-IR (which makes compiles several times slower in solcjs).
    function _debit(uint64 epoch, address[] calldata accounts, uint256[] calldata amounts)
        private
        returns (uint256 total)
    {
        for (uint256 i = 0; i < accounts.length; ++i) {
            address account = accounts[i];
            uint256 amount = amounts[i];
            uint256 balance = _balances[account];
            if (amount > balance) revert InsufficientBalance(account, balance, amount);
            _balances[account] = balance - amount;
            total += amount;
            emit Debited(epoch, account, amount);
        }
    }

    function _credit(uint64 epoch, address[] calldata payees, uint256[] calldata amounts)
        private
        returns (uint256 total)
    {
        for (uint256 i = 0; i < payees.length; ++i) {
            address payee = payees[i];
            if (payee == address(0)) revert ZeroAddress();
            uint256 amount = amounts[i];
            _earnings[payee] += amount;
            total += amount;
            emit Credited(epoch, payee, amount);
        }
    }

    /// @notice Starts the withdrawal delay for `amount`; replaces any earlier request (and restarts its delay).
    function requestWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 balance = _balances[msg.sender];
        if (amount > balance) revert InsufficientBalance(msg.sender, balance, amount);
        uint64 availableAt = uint64(block.timestamp) + withdrawalDelay;
        _pending[msg.sender] = PendingWithdrawal({amount: amount, availableAt: availableAt});
        emit WithdrawalRequested(msg.sender, amount, availableAt);
    }

    /// @notice Pays out the pending withdrawal once its delay has passed. Settlements may have debited the balance
    /// in the meantime, so it pays the smaller of the request and what is left.
    function withdraw() external nonReentrant {
        PendingWithdrawal memory pending = _pending[msg.sender];
        if (pending.amount == 0) revert NoPendingWithdrawal(msg.sender);
        if (block.timestamp < pending.availableAt) revert WithdrawalNotReady(msg.sender, pending.availableAt);
        uint256 balance = _balances[msg.sender];
        uint256 amount = pending.amount < balance ? pending.amount : balance;
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        delete _pending[msg.sender];
        _balances[msg.sender] = balance - amount;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Pays a payee everything credited so far.
    function withdrawEarnings() external nonReentrant {
        uint256 amount = _earnings[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _earnings[msg.sender] = 0;
        token.safeTransfer(msg.sender, amount);
        emit EarningsWithdrawn(msg.sender, amount);
    }

    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    function earningsOf(address payee) external view returns (uint256) {
        return _earnings[payee];
    }

    function pendingWithdrawal(address account) external view returns (uint256 amount, uint64 availableAt) {
        PendingWithdrawal memory pending = _pending[account];
        return (pending.amount, pending.availableAt);
    }

    function nextEpoch() external view returns (uint64) {
        return _nextEpoch;
    }
}
